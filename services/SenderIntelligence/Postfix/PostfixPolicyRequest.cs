namespace Gateway.SenderIntelligence.Postfix;

/// <summary>
/// One policy delegation request: the <c>name=value</c> attributes Postfix sent before the empty line
/// (SMTPD_POLICY_README). Names are lowercase letters, digits and '_'; a repeated name keeps its last value.
/// </summary>
public sealed class PostfixPolicyRequest
{
    public const int MaxAttributes = 256;

    private readonly Dictionary<string, string> _attributes = new(StringComparer.Ordinal);

    public int Count => _attributes.Count;

    public string Get(string name) => _attributes.TryGetValue(name, out var value) ? value : "";

    /// <summary>Adds one line of the request; false (with the reason) when it is not an attribute line.</summary>
    public bool TryAdd(string line, out string error)
    {
        var equals = line.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            error = "a request line is not name=value";
            return false;
        }

        var name = line[..equals];
        if (!name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
        {
            error = "an attribute name is not lowercase letters, digits and '_'";
            return false;
        }

        if (_attributes.Count >= MaxAttributes && !_attributes.ContainsKey(name))
        {
            error = $"a request has more than {MaxAttributes} attributes";
            return false;
        }

        _attributes[name] = line[(equals + 1)..];
        error = "";
        return true;
    }
}
