using Gateway.SenderIntelligence.Networks;
using Microsoft.Extensions.Options;

namespace Gateway.SenderIntelligence.Configuration;

/// <summary>
/// Checks every setting and reports all problems at once, each under its configuration key (e.g.
/// <c>Gateway:Sender:BlockList:2</c>), so an operator fixes the whole file in one go.
/// </summary>
public sealed class SenderIntelligenceOptionsValidator : IValidateOptions<SenderIntelligenceOptions>
{
    public const int MaxConnectionsLimit = 100_000;

    private static readonly TimeSpan MinLeaseTime = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxLeaseTime = TimeSpan.FromDays(1);
    private static readonly TimeSpan MinStoreTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxStoreTimeout = TimeSpan.FromMinutes(1);

    public ValidateOptionsResult Validate(string? name, SenderIntelligenceOptions options)
    {
        var failures = new List<string>();
        CheckNetworks(options.AllowList, nameof(options.AllowList), failures);
        CheckNetworks(options.BlockList, nameof(options.BlockList), failures);

        if (options.MaxConnectionsPerIp is < 1 or > MaxConnectionsLimit)
        {
            failures.Add($"{Key(nameof(options.MaxConnectionsPerIp))} must be between 1 and {MaxConnectionsLimit}; " +
                         $"got {options.MaxConnectionsPerIp}.");
        }

        if (options.ConnectionLeaseTime < MinLeaseTime || options.ConnectionLeaseTime > MaxLeaseTime)
        {
            failures.Add($"{Key(nameof(options.ConnectionLeaseTime))} must be between {MinLeaseTime} and " +
                         $"{MaxLeaseTime}; got {options.ConnectionLeaseTime}.");
        }

        if (options.StoreTimeout < MinStoreTimeout || options.StoreTimeout > MaxStoreTimeout)
        {
            failures.Add($"{Key(nameof(options.StoreTimeout))} must be between {MinStoreTimeout} and " +
                         $"{MaxStoreTimeout}; got {options.StoreTimeout}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckNetworks(List<string>? entries, string listName, List<string> failures)
    {
        if (entries is null)
        {
            return;
        }

        for (var i = 0; i < entries.Count; i++)
        {
            if (!IpNetwork.TryParse(entries[i], out _, out var error))
            {
                failures.Add($"{Key(listName)}:{i} '{entries[i]}' {error}; " +
                             "expected an IP address or a CIDR network such as 192.0.2.0/24 or 2001:db8::/32.");
            }
        }
    }

    private static string Key(string setting) => $"{SenderIntelligenceOptions.SectionName}:{setting}";
}
