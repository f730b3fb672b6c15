using System.Net;
using System.Text;
using Gateway.SenderIntelligence.Policy;
using Gateway.V1;

namespace Gateway.Fuzz.Harnesses;

/// <summary>
/// The sender-intelligence policy file parser (<see cref="PolicyFileParser"/>, YAML through YamlDotNet): the input is
/// the bytes of a policy file. An operator's typo must come back as a <see cref="PolicyFileException"/> listing
/// positioned errors, never as any other exception (the watcher would keep a stale policy without saying why, or
/// the service would not start). A finding is any other exception, an error list that is empty or has no position,
/// different outcomes for the same text, or a parsed policy that breaks its own limits (unique names, a tier or
/// limits on each rule, every tier present) or throws when it is evaluated.
/// </summary>
public sealed class PolicyFileTarget : IFuzzTarget
{
    private static readonly SenderFacts[] Senders =
    [
        new(IPAddress.Parse("192.0.2.10"), "mx.partner.example", "partner.example", 0, TimeSpan.FromDays(30)),
        new(IPAddress.Parse("2001:db8::7"), "[2001:db8::7]", "", -50, TimeSpan.Zero),
        new(IPAddress.Parse("::ffff:10.1.2.3"), null, null, 100, TimeSpan.FromMinutes(5)),
    ];

    public string Name => "policy";

    public IReadOnlyList<byte[]> Tokens { get; } = new[]
    {
        "tiers:", "rules:", "- name: ", "match:", "tier: ", "limits:", "ip: ", "helo: ", "sender_domain: ",
        "reputation:", "first_seen:", "min: ", "max: ", "older_than: ", "newer_than: ", "blocked", "probation",
        "standard", "trusted", "concurrent_connections: ", "bytes_per_hour: ", "tarpit: ", "connection_window: ",
        "unlimited", "50MB", "1.5h", "500ms", "{ ", " }", "[", "]", ", ", "\n  ", "\n    - ", "&a ", "*a", "<<: ",
        "!!str ", "!!int ", "---\n", "...\n", "|\n", ">-\n", "'", "? ", "%YAML 1.2\n", "%TAG ! tag:x:\n", "\t",
        "192.0.2.0/24", "::/0", "*.example", "1e308", "-0", ".nan", "99999999999999999999",
    }.Select(Encoding.UTF8.GetBytes).ToArray();

    public IEnumerable<byte[]> Seeds(string? corpusDir)
    {
        string[] files =
        [
            """
            tiers:
              probation: { concurrent_connections: 3, messages_per_hour: 100, bytes_per_hour: 50MB, tarpit: 500ms }
              trusted: { messages_per_hour: unlimited, connection_window: 2m }
            rules:
              - name: partners
                match: { ip: [192.0.2.0/24, "2001:db8::/32"], sender_domain: ["*.partner.example"] }
                tier: trusted
              - name: bad-reputation
                match: { reputation: { min: -100, max: -20 } }
                tier: blocked
              - name: young
                match: { first_seen: { newer_than: 1h }, helo: ["mx?.*", "[*]"] }
                limits: { messages_per_hour: 10, recipients_per_message: 5 }
            """,
            """
            rules:
              - name: old
                match:
                  first_seen:
                    older_than: 7d
                  ip:
                    - 10.0.0.0/8
                    - ::ffff:10.0.0.0/104
                tier: standard
                limits:
                  bytes_per_hour: 2GiB
                  messages_per_connection: 0
            """,
            "",
            "# only a comment\n",
            "tiers:\nrules:\n",
            "rules:\n  - name: a\n    tier: trusted\n  - name: A\n    tier: blocked\n",
            "rules:\n  - match: { ip: 10.1.2.3/8 }\n    tier: gold\n  - limits: 5\n  - {}\n",
            "tiers:\n  blocked: { tarpit: 2m }\n  probation: [1, 2]\nextra: 1\n",
            "rules: &r\n  - name: x\n    tier: trusted\ntiers: *r\n",
            "rules:\n  - name: x\n    tier: trusted\n---\nrules: []\n",
            "rules:\n- name: \"tab\\there\"\n  tier: trusted\n  tier: blocked\n",
            "rules:\n  - name: x\n    match: { reputation: { min: 5, max: 1 }, first_seen: { older_than: 99999d } }\n"
                + "    limits: { tarpit: 61s, connection_window: 0.5s, concurrent_connections: -1 }\n",
            "[1, 2, {a: b}]\n",
            "rules: [ { name: x, tier: trusted\n",
        ];
        foreach (var file in files)
        {
            yield return Encoding.UTF8.GetBytes(file);
        }
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        var text = Encoding.UTF8.GetString(input);
        var first = Outcome(text);
        var second = Outcome(text);
        if (first != second)
        {
            throw new FuzzFinding($"the same file gave two outcomes:\n{first}\n{second}");
        }
    }

    public void Dispose()
    {
    }

    private static string Outcome(string text)
    {
        SenderPolicy policy;
        try
        {
            policy = PolicyFileParser.Parse(text, "fuzz.yaml");
        }
        catch (PolicyFileException ex)
        {
            if (ex.Errors.Count == 0)
            {
                throw new FuzzFinding("a refused policy file without any error", ex);
            }

            foreach (var error in ex.Errors)
            {
                if (error.Line < 1 || error.Column < 1 || string.IsNullOrWhiteSpace(error.Reason))
                {
                    throw new FuzzFinding("an error without a position or a reason: " + error, ex);
                }
            }

            return "refused: " + ex.Message;
        }

        CheckPolicy(policy);
        var outcome = new StringBuilder("loaded: ");
        foreach (var rule in policy.Rules)
        {
            outcome.Append(rule.Name).Append('@').Append(rule.Line).Append(' ');
        }

        foreach (var sender in Senders)
        {
            outcome.Append(policy.Match(sender)?.Name ?? "-").Append(' ');
        }

        return outcome.ToString();
    }

    private static void CheckPolicy(SenderPolicy policy)
    {
        if (policy.Rules.Count > PolicyFileParser.MaxRules)
        {
            throw new FuzzFinding($"{policy.Rules.Count} rules loaded, more than {PolicyFileParser.MaxRules}");
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var rule in policy.Rules)
        {
            if (!names.Add(rule.Name) || rule.Name.Length is 0 or > 100 || rule.Name.Any(char.IsControl))
            {
                throw new FuzzFinding($"rule name '{rule.Name}' is empty, too long, unprintable or used twice");
            }

            if (rule.Tier is null && rule.Limits is null)
            {
                throw new FuzzFinding($"rule '{rule.Name}' sets neither a tier nor limits");
            }
        }

        foreach (var tier in Enum.GetValues<SenderTier>().Where(t => t != SenderTier.Unspecified))
        {
            if (!policy.Tiers.ContainsKey(tier))
            {
                throw new FuzzFinding($"tier {tier} has no limits");
            }
        }
    }
}
