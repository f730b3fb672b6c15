namespace Gateway.SenderIntelligence.Tests.Dnsbl;

/// <summary>The zones tools/testenv/unbound.sh serves, and what they list.</summary>
internal static class TestZones
{
    /// <summary>
    /// Lists 192.0.2.99, .96, 2001:db8::99 (127.0.0.2), 192.0.2.98 (127.0.0.4), 192.0.2.97 (127.0.0.10).
    /// </summary>
    public const string Block = "dnsbl.test";

    /// <summary>Lists 192.0.2.96 and 192.0.2.95.</summary>
    public const string Second = "second.test";

    /// <summary>An allow list: 192.0.2.99 and 192.0.2.50 (127.0.10.2).</summary>
    public const string Allow = "dnswl.test";

    /// <summary>Answers every name, 127.0.0.1 included: fails the self-check.</summary>
    public const string Broken = "broken.test";

    /// <summary>Answers no name, 127.0.0.2 included: fails the self-check.</summary>
    public const string Empty = "empty.test";
}
