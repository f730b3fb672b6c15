namespace Gateway.Eval;

/// <summary>A detector's figures on the split, or why it could not be measured.</summary>
public sealed record DetectorResult(
    string Name,
    IReadOnlyList<Judgement> CampaignOthers,
    IReadOnlyList<Judgement> Singletons,
    IReadOnlyList<Judgement> Ham,
    TimeSpan Elapsed,
    string? Failure = null)
{
    public static DetectorResult Failed(string name, string failure) => new(name, [], [], [], TimeSpan.Zero, failure);
}
