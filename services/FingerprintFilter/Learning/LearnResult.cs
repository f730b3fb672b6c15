using Gateway.FingerprintFilter.Store;

namespace Gateway.FingerprintFilter.Learning;

/// <summary>A report as learned: the weight it carried and what the store says before and after.</summary>
public sealed record LearnResult(double Weight, StoreReportOutcome Outcome);
