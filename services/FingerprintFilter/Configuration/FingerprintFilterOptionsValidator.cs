using System.ComponentModel.DataAnnotations;
using Gateway.Common.Security;
using Microsoft.Extensions.Options;

namespace Gateway.FingerprintFilter.Configuration;

/// <summary>
/// Validates the options and every nested section (data annotations do not recurse), plus the rules
/// that span settings. Runs at start-up, so a bad setting stops the host instead of a later scan.
/// </summary>
public sealed class FingerprintFilterOptionsValidator : IValidateOptions<FingerprintFilterOptions>
{
    public ValidateOptionsResult Validate(string? name, FingerprintFilterOptions options)
    {
        var failures = new List<string>();
        Check(options, "", failures);
        Check(options.Learning, "Learning:", failures);
        Check(options.Scoring, "Scoring:", failures);
        Check(options.HotCache, "HotCache:", failures);
        Check(options.Intake, "Intake:", failures);
        Check(options.Sharing, "Sharing:", failures);
        for (var i = 0; i < options.Sharing.Peers.Count; i++)
        {
            Check(options.Sharing.Peers[i], $"Sharing:Peers:{i}:", failures);
        }

        if (options.Scoring.FuzzySuspectShare > options.Scoring.FuzzyMatchShare)
        {
            failures.Add("Scoring:FuzzySuspectShare must not exceed Scoring:FuzzyMatchShare.");
        }

        if (options.Scoring.SuspectScore > options.Scoring.SpamScore)
        {
            failures.Add("Scoring:SuspectScore must not exceed Scoring:SpamScore.");
        }

        var duplicatePeers = options.Sharing.Peers.GroupBy(p => p.SiteId, StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicatePeers.Count > 0)
        {
            failures.Add("Sharing:Peers lists a site more than once: " + string.Join(", ", duplicatePeers));
        }

        if (options.Sharing.Peers.Any(p => string.Equals(p.SiteId, options.Sharing.SiteId,
                StringComparison.OrdinalIgnoreCase)))
        {
            failures.Add("Sharing:Peers must not list this site itself.");
        }

        if (!string.IsNullOrEmpty(options.Sharing.SiteId) && string.IsNullOrEmpty(options.Sharing.SigningKeyFile))
        {
            failures.Add("Sharing:SigningKeyFile is required when Sharing:SiteId is set.");
        }

        if (!string.IsNullOrEmpty(options.Sharing.SiteId) && !string.IsNullOrEmpty(options.Sharing.SigningKeyFile)
            && !File.Exists(options.Sharing.SigningKeyFile))
        {
            failures.Add($"Sharing:SigningKeyFile {options.Sharing.SigningKeyFile} does not exist.");
        }

        for (var i = 0; i < options.Sharing.Peers.Count; i++)
        {
            if (PeerKeyProblem(options.Sharing.Peers[i].PublicKey) is { } problem)
            {
                failures.Add($"Sharing:Peers:{i}:PublicKey: {problem}");
            }

            if (PeerTokenProblem(options.Sharing.Peers[i]) is { } tokenProblem)
            {
                failures.Add($"Sharing:Peers:{i}:TokenFile: {tokenProblem}");
            }
        }

        foreach (var address in options.Intake.AbuseAddresses.Concat(options.Intake.TrapAddresses))
        {
            if (!address.Contains('@') || address.Any(char.IsWhiteSpace))
            {
                failures.Add($"Intake address '{address}' is not an e-mail address.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string? PeerKeyProblem(string pemOrPath)
    {
        if (string.IsNullOrWhiteSpace(pemOrPath))
        {
            return null; // [Required] reports it.
        }

        try
        {
            using var key = Sharing.FeedKeys.PublicKeyFrom(pemOrPath);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException
            or System.Security.Cryptography.CryptographicException)
        {
            return "not a readable ECDSA P-256 public key in PEM (" + ex.Message + ")";
        }
    }

    private static void Check(object section, string path, List<string> failures)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(section, new ValidationContext(section), results, validateAllProperties: true))
        {
            failures.AddRange(results.Select(r => path + r.ErrorMessage));
        }
    }

    private static string? PeerTokenProblem(PeerOptions peer)
    {
        if (peer.TokenFile.Length == 0)
        {
            return null;
        }

        if (!File.Exists(peer.TokenFile))
        {
            return $"{peer.TokenFile} does not exist.";
        }

        try
        {
            _ = BearerToken.Create(null, peer.TokenFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return $"{peer.TokenFile}: {ex.Message}";
        }

        if (!Uri.TryCreate(peer.Url, UriKind.Absolute, out var url))
        {
            return "a token needs the peer's Url.";
        }

        var loopback = url.IsLoopback
            || (System.Net.IPAddress.TryParse(url.Host.Trim('[', ']'), out var address)
                && System.Net.IPAddress.IsLoopback(address));
        return url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && loopback)
            ? null
            : $"the token would cross the network in clear: use an https Url (got {url.Scheme}://{url.Host}).";
    }
}
