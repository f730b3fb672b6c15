using System.Text;
using Gateway.Testing;

namespace Gateway.FingerprintFilter.Tests.Support;

/// <summary>Files of ../shared/corpus (see corpus/MANIFEST.md) and the header variants tests make of them.</summary>
public static class Corpus
{
    private static readonly string[] ReplacedHeaders = ["subject", "to", "message-id", "received"];

    public static string Directory(string name) =>
        Path.Combine(TestEnvironment.CorpusDir ?? throw new InvalidOperationException("corpus not found"), name);

    /// <summary>The message files of a corpus folder, by name; empty when the corpus is absent.</summary>
    public static IReadOnlyList<string> Files(string folder)
    {
        if (TestEnvironment.CorpusDir is null)
        {
            return [];
        }

        return System.IO.Directory.GetFiles(Directory(folder), "*.eml").Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The same message as the gateway would receive it again from another sender run: no mbox
    /// "From " line, CRLF line ends, and new Subject, To, Message-ID and Received headers (the old
    /// ones removed with their continuation lines). Null when the header block has no end.
    /// </summary>
    public static byte[]? HeaderVariant(byte[] raw, int seed)
    {
        // Latin-1 maps bytes to chars one to one, so 8-bit bytes survive the round trip.
        var text = Encoding.Latin1.GetString(raw).Replace("\r\n", "\n");
        if (text.StartsWith("From ", StringComparison.Ordinal))
        {
            text = text[(text.IndexOf('\n') + 1)..];
        }

        var end = text.IndexOf("\n\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return null;
        }

        var kept = new StringBuilder();
        var skipping = false;
        foreach (var line in text[..end].Split('\n'))
        {
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t'))
            {
                if (!skipping)
                {
                    kept.Append(line).Append('\n');
                }

                continue;
            }

            var colon = line.IndexOf(':');
            var name = colon > 0 ? line[..colon].Trim().ToLowerInvariant() : "";
            skipping = ReplacedHeaders.Contains(name);
            if (!skipping)
            {
                kept.Append(line).Append('\n');
            }
        }

        var variant = $"Received: from relay{seed}.variant.test " +
            $"(relay{seed}.variant.test [192.0.2.{seed % 250 + 1}])\n" +
            $"\tby mx.variant.test with ESMTP id V{seed}; Mon, 1 Jan 2024 00:00:00 +0000\n" +
            $"Message-ID: <variant-{seed}@variant.test>\nTo: other.person{seed}@variant.test\n" +
            $"Subject: Re: a different subject {seed}\n" + kept + text[end..];
        return Encoding.Latin1.GetBytes(variant.Replace("\n", "\r\n"));
    }
}
