using System.Net;
using System.Net.Sockets;
using System.Text;
using Gateway.MtaEdge.Tests.Smtp.Support;
using Xunit;
using Xunit.Sdk;

namespace Gateway.MtaEdge.Tests.Smtp.Cases;

/// <summary>
/// Plays a <see cref="CaseFile"/> against a server, as ../shared/cases/README.md says: the greeting
/// first, then each line in order (sends run while replies are read, so a large send cannot
/// deadlock against unread replies), then QUIT, which must get 221 as the very next reply: any
/// reply the transcript did not expect shows up there (smuggling). A server may close right after
/// a 5xx that ends the session; the run stops there.
/// </summary>
public static class CaseRunner
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(CaseFile file, IPEndPoint endpoint)
    {
        await using var client = await RawSmtpClient.ConnectAsync(endpoint);
        var greeting = await client.ReadReplyAsync(ReplyTimeout);
        Assert.Equal(220, greeting.Code);

        var sending = Task.CompletedTask;
        SmtpTestReply? last = greeting;
        foreach (var step in file.Steps)
        {
            var where = $"{file.Name}:{step.LineNumber} `{Shorten(step.Source)}`";
            switch (step.Kind)
            {
                case CaseStepKind.Send:
                    await sending;
                    sending = SendAsync(client, Repeat(step.Bytes, step.Count), last);
                    break;

                case CaseStepKind.Expect:
                    for (var i = 0; i < step.Count; i++)
                    {
                        var reply = await client.TryReadReplyAsync(ReplyTimeout);
                        if (reply is null)
                        {
                            if (EndsSession(last))
                            {
                                return;
                            }

                            throw new XunitException(
                                $"{where}: the server closed the connection (reply {i + 1} of {step.Count})");
                        }

                        var code = reply.Code.ToString(System.Globalization.CultureInfo.InvariantCulture);
                        if (!step.Codes.Any(c => code.StartsWith(c, StringComparison.Ordinal)))
                        {
                            throw new XunitException(
                                $"{where}: reply {i + 1} of {step.Count} was `{reply}`, "
                                + $"expected {string.Join("|", step.Codes)}");
                        }

                        last = reply;
                    }

                    break;

                case CaseStepKind.ExpectClose:
                    await IgnoreSendFailure(sending);
                    Assert.True(await client.WaitForCloseAsync(ReplyTimeout), $"{where}: the server did not close");
                    return;

                case CaseStepKind.ExpectQuiet:
                    var heard = await client.ReadAnyAsync(TimeSpan.FromMilliseconds(step.Milliseconds));
                    Assert.True(heard.Length == 0,
                        $"{where}: the server sent `{Encoding.UTF8.GetString(heard)}` while it had to stay quiet");
                    break;
            }
        }

        // The implicit end: QUIT must get 221 next, then the server closes with nothing more.
        if (!await IgnoreSendFailure(sending) && EndsSession(last))
        {
            return;
        }

        if (client.IsClosed && EndsSession(last))
        {
            return;
        }

        try
        {
            await client.SendLineAsync("QUIT");
        }
        catch (SocketException) when (EndsSession(last))
        {
            return;
        }

        var bye = await client.TryReadReplyAsync(ReplyTimeout);
        if (bye is null && EndsSession(last))
        {
            return;
        }

        Assert.True(bye is not null, $"{file.Name}: the server closed instead of answering QUIT");
        Assert.True(bye!.Code == 221,
            $"{file.Name}: QUIT got `{bye}`: the server sent a reply the transcript did not expect");
        Assert.True(await client.WaitForCloseAsync(ReplyTimeout), $"{file.Name}: the server sent more after 221");
    }

    /// <summary>A 5xx may end the session, after which the server may close.</summary>
    private static bool EndsSession(SmtpTestReply? reply) => reply is { Code: >= 500 };

    private static async Task SendAsync(RawSmtpClient client, byte[] bytes, SmtpTestReply? last)
    {
        await Task.Yield();
        await client.SendAsync(bytes);
    }

    /// <summary>True when the send completed; false when the server had closed the connection.</summary>
    private static async Task<bool> IgnoreSendFailure(Task sending)
    {
        try
        {
            await sending;
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static byte[] Repeat(byte[] bytes, int count)
    {
        var result = new byte[bytes.Length * count];
        for (var i = 0; i < count; i++)
        {
            bytes.CopyTo(result, i * bytes.Length);
        }

        return result;
    }

    private static string Shorten(string source) => source.Length <= 60 ? source : source[..57] + "...";
}
