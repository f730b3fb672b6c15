using Gateway.SenderIntelligence.Policy;

namespace Gateway.SenderIntelligence.Tests.Support;

/// <summary>Policies written as the YAML an operator would write.</summary>
internal static class Policies
{
    public static SenderPolicy Parse(string yaml) => PolicyFileParser.Parse(yaml, "test-policy.yaml");

    /// <summary>Probation limits as given (YAML flow mapping body), no rules: every sender is dynamic.</summary>
    public static SenderPolicy Probation(string limits) => Parse($"tiers:\n  probation: {{ {limits} }}\n");
}
