using Gateway.SenderIntelligence.Networks;
using Gateway.V1;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Gateway.SenderIntelligence.Policy;

/// <summary>
/// Reads a policy file (YAML) into a <see cref="SenderPolicy"/>, collecting every problem with its line instead of
/// stopping at the first, so an operator fixes the whole file in one go. The format:
/// <code>
/// tiers:                      # optional; each tier's limits default to the built-in ones
///   probation: { concurrent_connections: 3, messages_per_hour: 100, bytes_per_hour: 50MB, tarpit: 500ms }
/// rules:                      # ordered; the first rule that matches decides
///   - name: partners
///     match: { ip: [192.0.2.0/24], sender_domain: ["*.partner.example"] }
///     tier: trusted
///   - name: bad-reputation
///     match: { reputation: { max: -20 } }
///     tier: blocked
///   - name: young
///     match: { first_seen: { newer_than: 1h } }
///     limits: { messages_per_hour: 10 }
/// </code>
/// </summary>
public static class PolicyFileParser
{
    public const int MaxFileBytes = 4 * 1024 * 1024;
    public const int MaxRules = 10_000;
    public const int MaxListEntries = 1_000_000;

    /// <summary>Deepest nesting of mappings and sequences; a real policy needs four.</summary>
    public const int MaxDepth = 64;

    private static readonly TimeSpan MaxTarpit = TimeSpan.FromMinutes(1);

    private static readonly string[] RootKeys = ["tiers", "rules"];
    private static readonly string[] RuleKeys = ["name", "match", "tier", "limits"];
    private static readonly string[] MatchKeys = ["ip", "helo", "sender_domain", "reputation", "first_seen"];
    private static readonly string[] LimitKeys =
    [
        "concurrent_connections", "connections_per_window", "connection_window", "messages_per_connection",
        "recipients_per_message", "messages_per_hour", "bytes_per_hour", "tarpit",
    ];

    /// <summary>Parses the text of a policy file.</summary>
    /// <exception cref="PolicyFileException">The file is not a valid policy; every problem is listed.</exception>
    public static SenderPolicy Parse(string text, string source)
    {
        var errors = new List<PolicyError>();
        var policy = TryParse(text, source, errors);
        if (errors.Count > 0 || policy is null)
        {
            throw new PolicyFileException(source, errors.Count > 0 ? errors : [new PolicyError(1, 1, "not a policy")]);
        }

        return policy;
    }

    private static SenderPolicy? TryParse(string text, string source, List<PolicyError> errors)
    {
        if (text.Length > MaxFileBytes)
        {
            errors.Add(new PolicyError(1, 1, $"the file is larger than {MaxFileBytes} bytes"));
            return null;
        }

        var stream = new YamlStream();
        IParser parser = new Parser(new StringReader(text));
        try
        {
            // YamlStream builds its nodes recursively and hashes mapping keys through their children: a file nested
            // thousands deep, or an alias inside the node it names (a cycle), overflows the stack and kills the
            // process, which no catch can stop. The event parser keeps its own stack, so it looks first.
            if (StructureProblem(parser, out var problemAt) is { } problem)
            {
                errors.Add(new PolicyError(Math.Max(1, (int)problemAt.Line), Math.Max(1, (int)problemAt.Column),
                    "not valid YAML: " + problem));
                return null;
            }

            parser = new Parser(new StringReader(text));
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            errors.Add(new PolicyError(Math.Max(1, (int)e.Start.Line), Math.Max(1, (int)e.Start.Column),
                "not valid YAML: " + Innermost(e).Message));
            return null;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // YamlDotNet 18 throws these instead of a YamlException for some malformed input (an empty or
            // non-URI tag, a scanner left in a bad state, a mapping key it cannot represent).
            var at = parser.Current?.Start ?? Mark.Empty;
            errors.Add(new PolicyError(Math.Max(1, (int)at.Line), Math.Max(1, (int)at.Column),
                "not valid YAML: " + e.Message));
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode;
            errors.Add(At(second, "the file holds more than one YAML document; a policy is one document"));
            return null;
        }

        var tiers = new Dictionary<SenderTier, SenderLimits>(SenderPolicy.DefaultTiers);
        var rules = new List<PolicyRule>();
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return new SenderPolicy(tiers, rules, source);
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            errors.Add(At(stream.Documents[0].RootNode, "the policy must be a mapping with 'tiers' and 'rules'"));
            return null;
        }

        foreach (var (key, value) in Entries(root, RootKeys, "the policy", errors))
        {
            if (key == "tiers")
            {
                ReadTiers(value, tiers, errors);
            }
            else
            {
                ReadRules(value, rules, errors);
            }
        }

        return errors.Count == 0 ? new SenderPolicy(tiers, rules, source) : null;
    }

    private static void ReadTiers(YamlNode node, Dictionary<SenderTier, SenderLimits> tiers, List<PolicyError> errors)
    {
        if (node is YamlScalarNode { Value: null or "" })
        {
            return;
        }

        if (node is not YamlMappingNode mapping)
        {
            errors.Add(At(node, "'tiers' must map tier names (probation, standard, trusted) to their limits"));
            return;
        }

        foreach (var (name, value) in Entries(mapping, ["blocked", "probation", "standard", "trusted"], "'tiers'",
            errors))
        {
            TierNames.TryParse(name, out var tier);
            if (tier == SenderTier.Blocked)
            {
                errors.Add(At(value, "the blocked tier has no limits: its senders are refused"));
                continue;
            }

            var overlay = ReadLimits(value, $"tier '{name}'", errors);
            if (overlay is not null)
            {
                tiers[tier] = tiers[tier].With(overlay);
            }
        }
    }

    private static void ReadRules(YamlNode node, List<PolicyRule> rules, List<PolicyError> errors)
    {
        if (node is YamlScalarNode { Value: null or "" })
        {
            return;
        }

        if (node is not YamlSequenceNode sequence)
        {
            errors.Add(At(node, "'rules' must be a list of rules, each starting with '- '"));
            return;
        }

        if (sequence.Children.Count > MaxRules)
        {
            errors.Add(At(node, $"more than {MaxRules} rules"));
            return;
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var rule = ReadRule(sequence.Children[i], i + 1, errors);
            if (rule is null)
            {
                continue;
            }

            if (!names.Add(rule.Name))
            {
                errors.Add(At(sequence.Children[i], $"rule name '{rule.Name}' is used twice; names must be unique"));
            }

            rules.Add(rule);
        }
    }

    private static PolicyRule? ReadRule(YamlNode node, int number, List<PolicyError> errors)
    {
        if (node is not YamlMappingNode mapping)
        {
            errors.Add(At(node, $"rule {number} must be a mapping with 'name', 'match' and 'tier' or 'limits'"));
            return null;
        }

        var before = errors.Count;
        string name = $"rule-{number}";
        SenderTier? tier = null;
        LimitOverlay? limits = null;
        PolicyRule conditions = new() { Name = name };
        foreach (var (key, value) in Entries(mapping, RuleKeys, $"rule {number}", errors))
        {
            switch (key)
            {
                case "name":
                    if (Scalar(value, "'name'", errors) is { } text)
                    {
                        if (text.Length is 0 or > 100 || text.Any(char.IsControl))
                        {
                            errors.Add(At(value, "'name' must be 1 to 100 printable characters"));
                        }
                        else
                        {
                            name = text;
                        }
                    }

                    break;
                case "match":
                    conditions = ReadMatch(value, number, errors) ?? conditions;
                    break;
                case "tier":
                    if (Scalar(value, "'tier'", errors) is { } tierText)
                    {
                        if (TierNames.TryParse(tierText, out var parsed))
                        {
                            tier = parsed;
                        }
                        else
                        {
                            errors.Add(At(value,
                                $"unknown tier '{tierText}': expected blocked, probation, standard or trusted"));
                        }
                    }

                    break;
                case "limits":
                    limits = ReadLimits(value, $"the limits of rule {number}", errors);
                    break;
            }
        }

        if (tier is null && limits is null && errors.Count == before)
        {
            errors.Add(At(node, $"rule {number} ('{name}') sets neither 'tier' nor 'limits'"));
        }

        if (errors.Count > before)
        {
            return null;
        }

        return new PolicyRule
        {
            Name = name,
            Line = (int)node.Start.Line,
            Networks = conditions.Networks,
            Helo = conditions.Helo,
            SenderDomains = conditions.SenderDomains,
            ReputationMin = conditions.ReputationMin,
            ReputationMax = conditions.ReputationMax,
            OlderThan = conditions.OlderThan,
            NewerThan = conditions.NewerThan,
            Tier = tier,
            Limits = limits,
        };
    }

    private static PolicyRule? ReadMatch(YamlNode node, int number, List<PolicyError> errors)
    {
        if (node is YamlScalarNode { Value: null or "" })
        {
            return null;
        }

        if (node is not YamlMappingNode mapping)
        {
            var keys = string.Join(", ", MatchKeys);
            errors.Add(At(node, $"'match' of rule {number} must be a mapping of conditions ({keys})"));
            return null;
        }

        IpNetworkSet? networks = null;
        List<WildcardPattern>? helo = null, domains = null;
        double? repMin = null, repMax = null;
        TimeSpan? older = null, newer = null;
        foreach (var (key, value) in Entries(mapping, MatchKeys, $"'match' of rule {number}", errors))
        {
            switch (key)
            {
                case "ip":
                    var parsed = new List<IpNetwork>();
                    foreach (var entry in List(value, "'ip'", errors))
                    {
                        if (IpNetwork.TryParse(entry.Value, out var network, out var why))
                        {
                            parsed.Add(network);
                        }
                        else
                        {
                            errors.Add(At(entry, $"'{entry.Value}' {why}; expected an IP address or a CIDR network"));
                        }
                    }

                    networks = new IpNetworkSet(parsed);
                    break;
                case "helo":
                    helo = Patterns(value, "'helo'", errors);
                    break;
                case "sender_domain":
                    domains = Patterns(value, "'sender_domain'", errors);
                    break;
                case "reputation":
                    foreach (var (bound, boundValue) in Entries(value, ["min", "max"], "'reputation'", errors))
                    {
                        if (Scalar(boundValue, $"'{bound}'", errors) is { } text)
                        {
                            if (!PolicyValues.TryNumber(text, out var number1, out var why))
                            {
                                errors.Add(At(boundValue, why));
                            }
                            else if (bound == "min")
                            {
                                repMin = number1;
                            }
                            else
                            {
                                repMax = number1;
                            }
                        }
                    }

                    if (repMin > repMax)
                    {
                        errors.Add(At(value, $"reputation min {repMin} is above max {repMax}"));
                    }

                    break;
                case "first_seen":
                    foreach (var (bound, boundValue) in Entries(value, ["older_than", "newer_than"], "'first_seen'",
                        errors))
                    {
                        if (Scalar(boundValue, $"'{bound}'", errors) is { } text)
                        {
                            if (!PolicyValues.TryDuration(text, out var age, out var why))
                            {
                                errors.Add(At(boundValue, why));
                            }
                            else if (bound == "older_than")
                            {
                                older = age;
                            }
                            else
                            {
                                newer = age;
                            }
                        }
                    }

                    break;
            }
        }

        return new PolicyRule
        {
            Name = "",
            Networks = networks,
            Helo = helo,
            SenderDomains = domains,
            ReputationMin = repMin,
            ReputationMax = repMax,
            OlderThan = older,
            NewerThan = newer,
        };
    }

    private static LimitOverlay? ReadLimits(YamlNode node, string what, List<PolicyError> errors)
    {
        if (node is not YamlMappingNode)
        {
            errors.Add(At(node, $"{what} must be a mapping of limits ({string.Join(", ", LimitKeys)})"));
            return null;
        }

        var overlay = new LimitOverlay();
        foreach (var (key, value) in Entries(node, LimitKeys, what, errors))
        {
            if (Scalar(value, $"'{key}'", errors) is not { } text)
            {
                continue;
            }

            string why;
            switch (key)
            {
                case "connection_window":
                    if (PolicyValues.TryDuration(text, out var window, out why) && window >= TimeSpan.FromSeconds(1))
                    {
                        overlay = overlay with { ConnectionWindow = window };
                        continue;
                    }

                    why = why.Length > 0 ? why : "'connection_window' must be at least 1s";
                    break;
                case "tarpit":
                    if (PolicyValues.TryDuration(text, out var tarpit, out why) && tarpit <= MaxTarpit)
                    {
                        overlay = overlay with { TarpitDelay = tarpit };
                        continue;
                    }

                    why = why.Length > 0 ? why : $"'tarpit' must be at most {MaxTarpit.TotalSeconds:0}s";
                    break;
                case "bytes_per_hour":
                    if (PolicyValues.TrySize(text, out var bytes, out why))
                    {
                        overlay = overlay with { BytesPerHour = bytes };
                        continue;
                    }

                    break;
                default:
                    if (PolicyValues.TryCount(text, out var count, out why))
                    {
                        overlay = key switch
                        {
                            "concurrent_connections" => overlay with { ConcurrentConnections = count },
                            "connections_per_window" => overlay with { ConnectionsPerWindow = count },
                            "messages_per_connection" => overlay with { MessagesPerConnection = count },
                            "recipients_per_message" => overlay with { RecipientsPerMessage = count },
                            _ => overlay with { MessagesPerHour = count },
                        };
                        continue;
                    }

                    break;
            }

            errors.Add(At(value, $"{key}: {why}"));
        }

        return overlay;
    }

    private static List<WildcardPattern> Patterns(YamlNode node, string what, List<PolicyError> errors)
    {
        var patterns = new List<WildcardPattern>();
        foreach (var entry in List(node, what, errors))
        {
            if (PolicyValues.TryPattern(entry.Value ?? "", out var pattern, out var why))
            {
                patterns.Add(pattern);
            }
            else
            {
                errors.Add(At(entry, why));
            }
        }

        return patterns;
    }

    /// <summary>
    /// The entries of a mapping whose keys are known; unknown, duplicate or non-scalar keys are errors.
    /// </summary>
    private static IEnumerable<(string Key, YamlNode Value)> Entries(
        YamlNode node, string[] known, string what, List<PolicyError> errors)
    {
        if (node is not YamlMappingNode mapping)
        {
            errors.Add(At(node, $"{what} must be a mapping ({string.Join(", ", known)})"));
            yield break;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value;
            if (key is null || !known.Contains(key, StringComparer.Ordinal))
            {
                errors.Add(At(keyNode,
                    $"unknown key '{key ?? keyNode.ToString()}' in {what}; expected {string.Join(", ", known)}"));
                continue;
            }

            if (!seen.Add(key))
            {
                errors.Add(At(keyNode, $"'{key}' is given twice in {what}"));
                continue;
            }

            yield return (key, value);
        }
    }

    /// <summary>A list of scalars, or one scalar standing for a list of one.</summary>
    private static List<YamlScalarNode> List(YamlNode node, string what, List<PolicyError> errors)
    {
        var items = new List<YamlScalarNode>();
        var children = node is YamlSequenceNode sequence ? sequence.Children : [node];
        if (children.Count > MaxListEntries)
        {
            errors.Add(At(node, $"{what} has more than {MaxListEntries} entries"));
            return items;
        }

        foreach (var child in children)
        {
            if (child is YamlScalarNode { Value: not null } scalar)
            {
                items.Add(scalar);
            }
            else
            {
                errors.Add(At(child, $"each entry of {what} must be a single value"));
            }
        }

        if (items.Count == 0 && children.Count == 0)
        {
            errors.Add(At(node, $"{what} is an empty list"));
        }

        return items;
    }

    private static string? Scalar(YamlNode node, string what, List<PolicyError> errors)
    {
        if (node is YamlScalarNode { Value: { Length: > 0 } value })
        {
            return value;
        }

        errors.Add(At(node, $"{what} needs a single value"));
        return null;
    }

    /// <summary>Nesting deeper than <see cref="MaxDepth"/>, or an alias to a mapping or sequence still open.</summary>
    private static string? StructureProblem(IParser parser, out Mark at)
    {
        // Per open mapping or sequence, the number of its anchor's definition (0 without one); per anchor name, the
        // number of its latest definition (a name may be defined again, and an alias means the latest).
        var open = new Stack<int>();
        var latest = new Dictionary<string, int>(StringComparer.Ordinal);
        var definitions = 0;
        while (parser.MoveNext())
        {
            var current = parser.Current!;
            at = current.Start;
            switch (current)
            {
                case MappingStart or SequenceStart when open.Count >= MaxDepth:
                    return $"nested more than {MaxDepth} levels deep";
                case MappingStart or SequenceStart:
                    var anchor = ((NodeEvent)current).Anchor;
                    var definition = 0;
                    if (!anchor.IsEmpty)
                    {
                        definition = ++definitions;
                        latest[anchor.Value] = definition;
                    }

                    open.Push(definition);
                    break;
                case MappingEnd or SequenceEnd when open.Count > 0:
                    open.Pop();
                    break;
                case Scalar { Anchor.IsEmpty: false } scalar:
                    latest[scalar.Anchor.Value] = ++definitions;
                    break;
                case AnchorAlias alias when latest.TryGetValue(alias.Value.Value, out var target)
                    && target != 0 && open.Contains(target):
                    return $"the alias *{alias.Value.Value} is inside the node it names (a cycle)";
            }
        }

        at = Mark.Empty;
        return null;
    }

    private static PolicyError At(YamlNode node, string reason) =>
        new((int)node.Start.Line, (int)node.Start.Column, reason);

    private static Exception Innermost(Exception e) => e.InnerException is YamlException inner ? Innermost(inner) : e;
}
