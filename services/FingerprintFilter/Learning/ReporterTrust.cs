using Gateway.FingerprintFilter.Configuration;
using Gateway.FingerprintFilter.Store;

namespace Gateway.FingerprintFilter.Learning;

/// <summary>
/// A reporter's weight from its record: a Beta-style estimate of how often it agrees with trusted
/// sources, starting sceptical (prior 1 agreement, 4 disagreements: 0.2), with each disagreement
/// counting <see cref="LearningOptions.DisagreementPenalty"/> times, capped at
/// <see cref="LearningOptions.MaxReporterWeight"/>. A handful of new or bad reporters therefore weigh
/// too little to convict, and one who lies loses its weight faster than it earned it.
/// </summary>
public static class ReporterTrust
{
    public static double WeightOf(ReporterRecord record, LearningOptions options)
    {
        var agreed = options.PriorAgreements + record.Agreed;
        var total = agreed + options.PriorDisagreements + options.DisagreementPenalty * record.Disagreed;
        return Math.Min(options.MaxReporterWeight, agreed / total);
    }
}
