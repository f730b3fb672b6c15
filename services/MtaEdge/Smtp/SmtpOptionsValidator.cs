using Gateway.Common.Net;
using Microsoft.Extensions.Options;

namespace Gateway.MtaEdge.Smtp;

/// <summary>Checks <see cref="SmtpOptions"/> at start-up and names every bad setting at once.</summary>
public sealed class SmtpOptionsValidator : IValidateOptions<SmtpOptions>
{
    public ValidateOptionsResult Validate(string? name, SmtpOptions options)
    {
        var errors = new List<string>();
        const string prefix = SmtpOptions.SectionName + ":";

        if (!EndpointParser.TryParse(options.Listen, out _))
        {
            errors.Add($"{prefix}Listen must be an address and port such as 127.0.0.1:2525; got '{options.Listen}'.");
        }

        // RFC 5321 4.5.3.1.7 requires at least 64K octets of message content.
        Range(errors, prefix + "MaxMessageBytes", options.MaxMessageBytes, 64 * 1024, int.MaxValue - 1024 * 1024);
        Range(errors, prefix + "MaxRecipients", options.MaxRecipients, 1, 100_000);
        Range(errors, prefix + "MaxCommandLineBytes", options.MaxCommandLineBytes, 512, 64 * 1024);
        Range(errors, prefix + "MaxHeaderBytes", options.MaxHeaderBytes, 1024, 64 * 1024 * 1024);
        Range(errors, prefix + "MaxTextLineBytes", options.MaxTextLineBytes, 1000, 64 * 1024 * 1024);
        Range(errors, prefix + "MaxReceivedHeaders", options.MaxReceivedHeaders, 1, 10_000);
        Range(errors, prefix + "MaxErrors", options.MaxErrors, 1, 10_000);
        Range(errors, prefix + "MaxSessions", options.MaxSessions, 1, 1_000_000);
        Positive(errors, prefix + "CommandTimeout", options.CommandTimeout);
        Positive(errors, prefix + "DataBlockTimeout", options.DataBlockTimeout);
        Positive(errors, prefix + "SessionTimeout", options.SessionTimeout);
        Positive(errors, prefix + "ProcessingTimeout", options.ProcessingTimeout);
        if (options.ShutdownGrace < TimeSpan.Zero)
        {
            errors.Add($"{prefix}ShutdownGrace must not be negative.");
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

    private static void Positive(List<string> errors, string setting, TimeSpan value)
    {
        // CancelAfter accepts at most int.MaxValue milliseconds.
        if (value <= TimeSpan.Zero || value.TotalMilliseconds > int.MaxValue)
        {
            errors.Add($"{setting} must be a positive time span such as 00:05:00; got {value}.");
        }
    }
}
