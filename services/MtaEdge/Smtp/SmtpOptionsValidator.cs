using Gateway.Common.Net;
using Gateway.MtaEdge.Smtp.Proxy;
using Microsoft.Extensions.Options;

namespace Gateway.MtaEdge.Smtp;

/// <summary>Checks <see cref="SmtpOptions"/> at start-up and names every bad setting at once.</summary>
public sealed class SmtpOptionsValidator : IValidateOptions<SmtpOptions>
{
    public ValidateOptionsResult Validate(string? name, SmtpOptions options)
    {
        var errors = new List<string>();
        const string prefix = SmtpOptions.SectionName + ":";

        var hasListen = !string.IsNullOrWhiteSpace(options.Listen);
        var hasProxyListen = !string.IsNullOrWhiteSpace(options.ProxyListen);
        if ((hasListen || !hasProxyListen) && !EndpointParser.TryParse(options.Listen, out _))
        {
            errors.Add($"{prefix}Listen must be an address and port such as 127.0.0.1:2525; got '{options.Listen}'.");
        }

        if (hasProxyListen && !EndpointParser.TryParse(options.ProxyListen, out _))
        {
            errors.Add($"{prefix}ProxyListen must be an address and port such as 0.0.0.0:2526; got "
                + $"'{options.ProxyListen}'.");
        }

        if (hasProxyListen && options.ProxyTrustedNetworks.Count == 0)
        {
            errors.Add($"{prefix}ProxyTrustedNetworks must name the proxies' networks when ProxyListen is set.");
        }

        foreach (var network in options.ProxyTrustedNetworks)
        {
            if (!TrustedNetworks.TryParseOne(network, out _))
            {
                errors.Add($"{prefix}ProxyTrustedNetworks: '{network}' is not an address or CIDR network.");
            }
        }

        var hasCertificate = !string.IsNullOrWhiteSpace(options.TlsCertificateFile);
        var hasKey = !string.IsNullOrWhiteSpace(options.TlsKeyFile);
        if (hasCertificate != hasKey)
        {
            errors.Add($"{prefix}TlsCertificateFile and {prefix}TlsKeyFile must be given together.");
        }

        // RFC 5321 4.5.3.1.7 requires at least 64K octets of message content.
        Range(errors, prefix + "MaxMessageBytes", options.MaxMessageBytes, 64 * 1024, int.MaxValue - 1024 * 1024);
        Range(errors, prefix + "MaxRecipients", options.MaxRecipients, 1, 100_000);
        Range(errors, prefix + "MaxCommandLineBytes", options.MaxCommandLineBytes, 512, 64 * 1024);
        Range(errors, prefix + "MaxHeaderBytes", options.MaxHeaderBytes, 1024, 64 * 1024 * 1024);
        Range(errors, prefix + "MaxTextLineBytes", options.MaxTextLineBytes, 1000, 64 * 1024 * 1024);
        Range(errors, prefix + "MaxReceivedHeaders", options.MaxReceivedHeaders, 1, 10_000);
        Range(errors, prefix + "MaxErrors", options.MaxErrors, 1, 10_000);
        Range(errors, prefix + "ErrorDelayAfter", options.ErrorDelayAfter, 0, 10_000);
        Range(errors, prefix + "MaxJunkCommands", options.MaxJunkCommands, 1, 1_000_000);
        Range(errors, prefix + "MaxSessions", options.MaxSessions, 1, 1_000_000);
        Positive(errors, prefix + "CommandTimeout", options.CommandTimeout);
        Positive(errors, prefix + "DataBlockTimeout", options.DataBlockTimeout);
        Positive(errors, prefix + "SessionTimeout", options.SessionTimeout);
        Positive(errors, prefix + "ProcessingTimeout", options.ProcessingTimeout);
        Positive(errors, prefix + "ProxyHeaderTimeout", options.ProxyHeaderTimeout);
        Positive(errors, prefix + "TlsHandshakeTimeout", options.TlsHandshakeTimeout);
        NotNegative(errors, prefix + "TlsReloadInterval", options.TlsReloadInterval);
        NotNegative(errors, prefix + "ShutdownGrace", options.ShutdownGrace);
        NotNegative(errors, prefix + "ErrorDelay", options.ErrorDelay);
        NotNegative(errors, prefix + "MaxErrorDelay", options.MaxErrorDelay);
        NotNegative(errors, prefix + "GreetingDelay", options.GreetingDelay);
        if (options.GreetingDelay >= options.CommandTimeout)
        {
            errors.Add($"{prefix}GreetingDelay must be shorter than CommandTimeout.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Range(List<string> errors, string setting, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{setting} must be between {min} and {max}; got {value}.");
        }
    }

    private static void NotNegative(List<string> errors, string setting, TimeSpan value)
    {
        if (value < TimeSpan.Zero || value.TotalMilliseconds > int.MaxValue)
        {
            errors.Add($"{setting} must be a time span of zero or more such as 00:00:05; got {value}.");
        }
    }

    private static void Positive(List<string> errors, string setting, TimeSpan value)
    {
        // CancelAfter accepts at most int.MaxValue milliseconds.
        if (value <= TimeSpan.Zero || value.TotalMilliseconds > int.MaxValue)
        {
            errors.Add($"{setting} must be a positive time span such as 00:05:00; got {value}.");
        }
    }
}
