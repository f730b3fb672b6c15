namespace Gateway.FingerprintFilter.Tests.Support;

/// <summary>The first and last f1 components of <c>TestMessages.CampaignBody(0)</c>, recorded once.</summary>
public static class FuzzyGolden
{
    public const string First = "f1:008f10c12cda52df46";
    public const string Last = "f1:1f09f9909f3754a091";
}
