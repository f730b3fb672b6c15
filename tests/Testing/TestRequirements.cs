namespace Gateway.Testing;

/// <summary>Checks the requirements named on <see cref="RequiresFactAttribute"/>.</summary>
public static class TestRequirements
{
    public const string Shared = "shared";

    public static IReadOnlyList<string> Missing(IEnumerable<string> requirements) =>
        requirements.Where(r => r == Shared ? TestEnvironment.SharedDir is null : TestEnvironment.Get(r) is null).ToList();
}
