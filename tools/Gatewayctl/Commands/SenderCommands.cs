using System.Globalization;
using System.Text.RegularExpressions;
using Gateway.Ctl.Cli;
using Gateway.V1;
using Google.Protobuf.WellKnownTypes;

namespace Gateway.Ctl.Commands;

/// <summary>
/// "sender show|approve|block|reset SUBJECT": the sender intelligence tier's view of an address, network or
/// domain, and an administrator's decisions about it (GET /api/v1/sender, POST /api/v1/sender/{approve,block,reset}).
/// </summary>
public static partial class SenderCommands
{
    private const int MaxReasonChars = 300;

    public static (Func<CommandContext, Task<int>> Run, IReadOnlyList<string> Operands) Select(
        CommandLine line, IReadOnlyList<string> words)
    {
        if (words.Count == 0 || words[0] is not ("show" or "approve" or "block" or "reset"))
        {
            throw new UsageException(
                "sender needs \"show\", \"approve\", \"block\" or \"reset\", then an address, network or domain.");
        }

        var verb = words[0];
        var operands = words.Skip(1).ToList();
        if (operands.Count != 1)
        {
            throw new UsageException($"sender {verb} takes exactly one address, network or domain.");
        }

        if (line.Until is not null && verb is not ("approve" or "block"))
        {
            throw new UsageException("--until is an option of sender approve and sender block.");
        }

        if (line.Reason is not null && verb == "show")
        {
            throw new UsageException("--reason is an option of sender approve, block and reset.");
        }

        if (line.Reason is { Length: > MaxReasonChars })
        {
            throw new UsageException($"--reason is longer than {MaxReasonChars} characters.");
        }

        var until = line.Until is null ? null : ParseUntil(line.Until, DateTimeOffset.UtcNow);
        var actor = "gatewayctl:" + Environment.UserName;
        return verb switch
        {
            "show" => (c => ShowAsync(c), operands),
            "approve" => (c => DecideAsync(c, "approve", new ApproveSenderRequest
            {
                Subject = operands[0], Until = until, Reason = line.Reason ?? "", Actor = actor,
            }), operands),
            "block" => (c => DecideAsync(c, "block", new BlockSenderRequest
            {
                Subject = operands[0], Until = until, Reason = line.Reason ?? "", Actor = actor,
            }), operands),
            _ => (c => DecideAsync(c, "reset", new ResetSenderRequest
            {
                Subject = operands[0], Reason = line.Reason ?? "", Actor = actor,
            }), operands),
        };
    }

    /// <summary>
    /// A UTC date ("2030-06-30"), a time ("2030-06-30T18:00:00Z") or a span from now ("90m", "12h", "30d").
    /// </summary>
    public static Timestamp ParseUntil(string text, DateTimeOffset now)
    {
        var span = SpanPattern().Match(text.Trim());
        if (span.Success)
        {
            var amount = int.Parse(span.Groups[1].Value, CultureInfo.InvariantCulture);
            var length = span.Groups[2].Value switch
            {
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                _ => TimeSpan.FromDays(amount),
            };
            return Timestamp.FromDateTimeOffset(now + length);
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            if (at <= now)
            {
                throw new UsageException($"--until {text} is already past.");
            }

            return Timestamp.FromDateTimeOffset(at);
        }

        throw new UsageException(
            "--until takes a date or time in UTC (2030-06-30, 2030-06-30T18:00:00Z) or a span (90m, 12h, 30d), "
            + $"not \"{text}\".");
    }

    private static async Task<int> ShowAsync(CommandContext context)
    {
        var path = "api/v1/sender?subject=" + Uri.EscapeDataString(context.Operands[0]);
        var answer = await context.Api.GetAsync<SenderProfile>(path, context.CancellationToken).ConfigureAwait(false);
        await context.Out.WriteAsync(context.Json ? answer.Json.Trim() + Environment.NewLine
            : SenderProfileWording.Describe(answer.Message)).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private static async Task<int> DecideAsync(CommandContext context, string verb, Google.Protobuf.IMessage request)
    {
        var answer = await context.Api.PostJsonAsync<SenderProfile>(
            "api/v1/sender/" + verb, request, context.CancellationToken).ConfigureAwait(false);
        if (context.Json)
        {
            await context.Out.WriteLineAsync(answer.Json.Trim()).ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        var profile = answer.Message;
        var done = verb switch
        {
            "approve" => "Approved",
            "block" => "Blocked",
            _ => "Reset",
        };
        var until = profile.Override?.Until is { } end && verb != "reset" ? $" until {Wording.Time(end)}" : "";
        await context.Out.WriteLineAsync($"{done} {Wording.Clean(profile.Subject)}{until}.").ConfigureAwait(false);
        await context.Out.WriteAsync(SenderProfileWording.Describe(profile)).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    [GeneratedRegex("^([1-9][0-9]{0,5})([mhd])$")]
    private static partial Regex SpanPattern();
}
