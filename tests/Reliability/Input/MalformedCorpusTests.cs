using System.Text;
using System.Text.RegularExpressions;
using Gateway.Reliability.Tests.Harness;
using Gateway.Testing;

namespace Gateway.Reliability.Tests.Input;

/// <summary>
/// Issue 9, malformed input through the whole pipeline: every file of corpus/mime-edge (malformed and tricky MIME
/// from parser test suites) is sent through the edge of a running gateway, converted to CRLF and dot-stuffed at
/// send time as corpus/MANIFEST.md says. Each is either delivered intact (the delivered file is our trace headers
/// followed by exactly the bytes sent, un-stuffed) or refused with a clean SMTP reply; the gateway neither crashes
/// nor hangs, and logs no failed session.
/// </summary>
public sealed partial class MalformedCorpusTests(ITestOutputHelper output)
{
    [RequiresFact(TestRequirements.Shared)]
    public async Task MimeEdgeCorpus_ThroughTheEdge_DeliveredIntactOrRefusedCleanly()
    {
        var corpus = Path.Combine(TestEnvironment.CorpusDir!, "mime-edge");
        var files = Directory.GetFiles(corpus, "*.eml").Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(files);
        var workDir = Settings.WorkDir("mime-edge");
        await using var gateway = new GatewayProcess(workDir);
        await gateway.StartAsync();

        var delivered = 0;
        var refused = new Dictionary<string, List<string>>();
        var problems = new List<string>();
        foreach (var file in files)
        {
            var original = await File.ReadAllBytesAsync(file);
            var fileName = Path.GetFileName(file);
            var mailbox = "edge" + Path.GetFileNameWithoutExtension(file);
            SmtpLineClient.Reply final;
            try
            {
                final = await SendAsync(gateway.SmtpPort, mailbox + "@example.test", original);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or System.Net.Sockets.SocketException)
            {
                problems.Add($"{fileName}: no clean reply ({ex.GetType().Name}: {ex.Message})");
                Assert.True(gateway.IsRunning, $"the gateway died on {fileName}:\n{gateway.Tail(40)}");
                continue;
            }

            if (final.Code == 250)
            {
                var queueId = QueueIdPattern().Match(final.Text).Groups[1].Value;
                var copy = await WaitForCopyAsync(gateway.MaildirRoot, mailbox, queueId);
                if (copy is null)
                {
                    problems.Add($"{fileName}: acknowledged as {queueId}, never delivered");
                }
                else if (Compare(copy, SmtpLineClient.DataWireForm(original)) is { } mismatch)
                {
                    problems.Add($"{fileName}: delivered copy differs: {mismatch}");
                }
                else
                {
                    delivered++;
                }
            }
            else if (final.Code is >= 400 and < 600 && final.EnhancedCode.Length > 0)
            {
                var key = final.Text.Split('\n')[0];
                refused.TryAdd(key, []);
                refused[key].Add(fileName);
            }
            else
            {
                problems.Add($"{fileName}: unclean reply '{final.Text}'");
            }
        }

        Assert.True(gateway.IsRunning, "the gateway died:\n" + gateway.Tail(40));
        await gateway.StopAsync();
        var log = gateway.ReadLog();
        Figures.Print(output, "mime-edge", $"{files.Count} files: delivered intact {delivered}, refused " +
            $"{refused.Values.Sum(v => v.Count)}, problems {problems.Count}");
        foreach (var (reply, names) in refused)
        {
            Figures.Print(output, "mime-edge", $"refused with '{reply}': {string.Join(" ", names)}");
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Equal(files.Count, delivered + refused.Values.Sum(v => v.Count));
        Assert.DoesNotContain("session failed", log, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Unhandled exception", log, StringComparison.Ordinal);
        Assert.DoesNotContain("crit:", log, StringComparison.Ordinal);
        Directory.Delete(workDir, recursive: true);
    }

    private static async Task<SmtpLineClient.Reply> SendAsync(int port, string recipient, byte[] message)
    {
        await using var client = await SmtpLineClient.ConnectAsync(port, TimeSpan.FromSeconds(30));
        Assert.Equal(220, (await client.ReadReplyAsync()).Code);
        Assert.Equal(250, (await client.CommandAsync("EHLO corpus.test")).Code);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<corpus@sender.test> BODY=8BITMIME")).Code);
        Assert.Equal(250, (await client.CommandAsync($"RCPT TO:<{recipient}>")).Code);
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
        await client.SendAsync(SmtpLineClient.DataWireForm(message));
        var final = await client.ReadReplyAsync();
        try
        {
            await client.CommandAsync("QUIT");
        }
        catch (IOException)
        {
            // A refusal may close the session; the reply is what counts.
        }

        return final;
    }

    private static async Task<byte[]?> WaitForCopyAsync(string root, string mailbox, string queueId)
    {
        var dir = Path.Combine(root, "example.test", mailbox, "new");
        for (var i = 0; i < 200; i++)
        {
            if (Directory.Exists(dir) && Directory.GetFiles(dir, $"*.Q{queueId}R*").FirstOrDefault() is { } file)
            {
                return await File.ReadAllBytesAsync(file);
            }

            await Task.Delay(50);
        }

        return null;
    }

    /// <summary>
    /// The copy must be the bytes sent (un-stuffed, without the final ".") behind header lines the gateway adds:
    /// Return-Path, Delivered-To, Received (folded), the fingerprint filter's X-Spam-* verdict fields and a
    /// Message-ID when the message had none. Null when it is.
    /// </summary>
    private static string? Compare(byte[] copy, byte[] wire)
    {
        var expected = WithoutSenderSpamFields(Unstuff(wire));
        if (copy.Length < expected.Length || !copy.AsSpan(copy.Length - expected.Length).SequenceEqual(expected))
        {
            var at = FirstDifference(copy, expected);
            return $"the sent bytes are not the end of the copy ({copy.Length} vs {expected.Length} octets, first " +
                $"difference near copy offset {at})";
        }

        var prefix = Encoding.Latin1.GetString(copy, 0, copy.Length - expected.Length);
        if (!prefix.EndsWith("\r\n", StringComparison.Ordinal))
        {
            return "the added header section does not end with CRLF";
        }

        foreach (var line in prefix[..^2].Split("\r\n"))
        {
            var ours = line.StartsWith("Return-Path: ", StringComparison.Ordinal)
                || line.StartsWith("Delivered-To: ", StringComparison.Ordinal)
                || line.StartsWith("Received: ", StringComparison.Ordinal)
                || line.StartsWith("Message-ID: <", StringComparison.Ordinal)
                || line.StartsWith("X-Spam-", StringComparison.Ordinal)
                || (line.Length > 0 && line[0] is ' ' or '\t');
            if (!ours)
            {
                return "unexpected added line: " + line;
            }
        }

        return null;
    }

    /// <summary>
    /// The edge removes X-Spam-* fields the sender wrote (a spammer must not vouch for itself) before adding
    /// the filter's own, so the expected bytes lose them too: only in the header section, folds included.
    /// </summary>
    private static byte[] WithoutSenderSpamFields(byte[] message)
    {
        var output = new MemoryStream(message.Length);
        var position = 0;
        var dropping = false;
        while (position < message.Length)
        {
            var end = Array.IndexOf(message, (byte)'\n', position);
            end = end < 0 ? message.Length : end + 1;
            var line = message.AsSpan(position, end - position);
            if (line.SequenceEqual("\r\n"u8) || line.SequenceEqual("\n"u8))
            {
                output.Write(message, position, message.Length - position);
                return output.ToArray();
            }

            var folded = line.Length > 0 && line[0] is (byte)' ' or (byte)'\t';
            dropping = folded ? dropping : line.Length >= 7 && Ascii.EqualsIgnoreCase(line[..7], "X-Spam-"u8);
            if (!dropping)
            {
                output.Write(line);
            }

            position = end;
        }

        return output.ToArray();
    }

    private static byte[] Unstuff(byte[] wire)
    {
        // Drop the terminating ".\r\n" and the extra "." at the start of each stuffed line (RFC 5321 4.5.2).
        var body = wire.AsSpan(0, wire.Length - 3);
        var output = new MemoryStream(body.Length);
        var lineStart = true;
        for (var i = 0; i < body.Length; i++)
        {
            if (lineStart && body[i] == (byte)'.')
            {
                i++;
                if (i >= body.Length)
                {
                    break;
                }
            }

            output.WriteByte(body[i]);
            lineStart = body[i] == (byte)'\n';
        }

        return output.ToArray();
    }

    private static int FirstDifference(byte[] copy, byte[] expected)
    {
        var offset = copy.Length - expected.Length;
        for (var i = 0; i < expected.Length; i++)
        {
            var c = offset + i;
            if (c < 0 || copy[c] != expected[i])
            {
                return c;
            }
        }

        return -1;
    }

    [GeneratedRegex("queued as ([0-9A-Z]+)")]
    private static partial Regex QueueIdPattern();
}
