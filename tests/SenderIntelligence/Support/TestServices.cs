namespace Gateway.SenderIntelligence.Tests.Support;

/// <summary>Environment variables of the test services this project needs besides Redis (tools/testenv).</summary>
internal static class TestServices
{
    /// <summary>127.0.0.1:port of the private Unbound serving the test zones (tools/testenv/unbound.sh).</summary>
    public const string DnsVariable = "GATEWAY_TEST_DNS";

    /// <summary>Path of the postfix binary; the test starts a throwaway instance of its own.</summary>
    public const string PostfixVariable = "GATEWAY_TEST_POSTFIX";
}
