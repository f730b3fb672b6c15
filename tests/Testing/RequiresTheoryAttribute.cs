using Xunit;

namespace Gateway.Testing;

/// <summary>The theory form of <see cref="RequiresFactAttribute"/>.</summary>
public sealed class RequiresTheoryAttribute : TheoryAttribute
{
    public RequiresTheoryAttribute(params string[] requirements)
    {
        var missing = TestRequirements.Missing(requirements);
        if (missing.Count > 0 && !TestEnvironment.InCi)
        {
            Skip = "needs " + string.Join(", ", missing) + " (run through tools/test.sh)";
        }
    }
}
