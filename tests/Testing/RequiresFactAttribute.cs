using Xunit;

namespace Gateway.Testing;

/// <summary>
/// A fact that needs external services or ../shared. Outside CI it is skipped when they are
/// missing; in CI it runs regardless, so a missing service fails loudly instead of hiding.
/// Name what it needs: environment variables (TestEnvironment.*Variable) or "shared".
/// </summary>
public sealed class RequiresFactAttribute : FactAttribute
{
    public RequiresFactAttribute(params string[] requirements)
    {
        var missing = TestRequirements.Missing(requirements);
        if (missing.Count > 0 && !TestEnvironment.InCi)
        {
            Skip = "needs " + string.Join(", ", missing) + " (run through tools/test.sh)";
        }
    }
}
