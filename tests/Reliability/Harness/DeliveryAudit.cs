using System.Text;
using System.Text.RegularExpressions;

namespace Gateway.Reliability.Tests.Harness;

/// <summary>
/// Compares what the load generator was told with what arrived in the mailboxes (a Maildir++ tree,
/// <c>&lt;root&gt;/&lt;domain&gt;/&lt;mailbox&gt;/{new,cur}</c>, ours or Dovecot's), counting copies per token and recipient.
/// </summary>
public sealed partial class DeliveryAudit
{
    private DeliveryAudit(Dictionary<(string Token, string Recipient), int> copies)
    {
        Copies = copies;
    }

    /// <summary>Copies found per (token, recipient address).</summary>
    public IReadOnlyDictionary<(string Token, string Recipient), int> Copies { get; }

    public int TotalFiles => Copies.Values.Sum();

    public static DeliveryAudit Scan(string maildirRoot, string domain = "example.test")
    {
        var copies = new Dictionary<(string, string), int>();
        var domainDir = Path.Combine(maildirRoot, domain);
        if (!Directory.Exists(domainDir))
        {
            return new DeliveryAudit(copies);
        }

        foreach (var mailbox in Directory.EnumerateDirectories(domainDir))
        {
            var recipient = Path.GetFileName(mailbox) + "@" + domain;
            foreach (var folder in new[] { "new", "cur", Path.Combine(".Junk", "new"), Path.Combine(".Junk", "cur") })
            {
                var dir = Path.Combine(mailbox, folder);
                if (!Directory.Exists(dir))
                {
                    continue;
                }

                foreach (var file in Directory.EnumerateFiles(dir))
                {
                    string text;
                    try
                    {
                        text = File.ReadAllText(file, Encoding.Latin1);
                    }
                    catch (FileNotFoundException)
                    {
                        continue; // moved between new/ and cur/ while we looked
                    }

                    var match = TokenPattern().Match(text);
                    if (match.Success)
                    {
                        var key = (match.Groups[1].Value, recipient);
                        copies[key] = copies.GetValueOrDefault(key) + 1;
                    }
                }
            }
        }

        return new DeliveryAudit(copies);
    }

    public int CopiesOf(string token, string recipient) => Copies.GetValueOrDefault((token, recipient));

    /// <summary>Checks the ledger against the mailboxes; returns the counts and every violation.</summary>
    public AuditResult Check(IEnumerable<SentMessage> messages)
    {
        var result = new AuditResult();
        foreach (var message in messages)
        {
            foreach (var recipient in message.Recipients)
            {
                var copies = CopiesOf(message.Token, recipient);
                switch (message.Fate)
                {
                    case MessageFate.Acknowledged:
                        result.Acknowledged++;
                        if (copies == 0)
                        {
                            result.Lost.Add($"{message.Token} -> {recipient}");
                        }
                        else if (copies > 1)
                        {
                            result.Duplicated.Add($"{message.Token} -> {recipient} ({copies} copies)");
                        }
                        else
                        {
                            result.DeliveredOnce++;
                        }

                        break;
                    case MessageFate.DotSent:
                        result.InDoubt++;
                        if (copies == 1)
                        {
                            result.InDoubtDelivered++;
                        }
                        else if (copies > 1)
                        {
                            result.Duplicated.Add($"{message.Token} -> {recipient} ({copies} copies, reply lost)");
                        }

                        break;
                    default:
                        result.NotAccepted++;
                        if (copies > 0)
                        {
                            result.Phantom.Add($"{message.Token} -> {recipient} ({message.Fate}: {copies} copies)");
                        }

                        break;
                }
            }
        }

        return result;
    }

    [GeneratedRegex("token=([0-9a-f]{32})")]
    private static partial Regex TokenPattern();
}

/// <summary>Counts per (message, recipient) and the violations found.</summary>
public sealed class AuditResult
{
    public int Acknowledged { get; set; }

    public int DeliveredOnce { get; set; }

    public int InDoubt { get; set; }

    public int InDoubtDelivered { get; set; }

    public int NotAccepted { get; set; }

    /// <summary>Acknowledged with 250 and not delivered.</summary>
    public List<string> Lost { get; } = [];

    /// <summary>Delivered more than once.</summary>
    public List<string> Duplicated { get; } = [];

    /// <summary>Never accepted, yet delivered.</summary>
    public List<string> Phantom { get; } = [];

    public bool Clean => Lost.Count == 0 && Duplicated.Count == 0 && Phantom.Count == 0;

    public override string ToString() =>
        $"acknowledged (250) {Acknowledged}, delivered once {DeliveredOnce}, lost {Lost.Count}, " +
        $"duplicated {Duplicated.Count}; reply lost after the final dot {InDoubt} (of which delivered {InDoubtDelivered}); " +
        $"not accepted {NotAccepted}, delivered anyway {Phantom.Count}";

    public string Details(int max = 20) =>
        string.Join("\n", Lost.Take(max).Select(l => "lost: " + l)
            .Concat(Duplicated.Take(max).Select(d => "duplicated: " + d))
            .Concat(Phantom.Take(max).Select(p => "phantom: " + p)));
}
