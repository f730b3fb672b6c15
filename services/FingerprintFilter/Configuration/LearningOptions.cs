using System.ComponentModel.DataAnnotations;

namespace Gateway.FingerprintFilter.Configuration;

/// <summary>
/// How reports are weighed (<c>Gateway:Fingerprint:Learning</c>). Trusted sources (admin, traps)
/// decide at once. Any other reporter adds its trust to a fingerprint's spam or ham weight; the
/// fingerprint is convicted when its spam weight reaches <see cref="ConvictionWeight"/> (while ham
/// weight stays below spam weight), and reversed when its ham weight reaches its spam weight.
/// </summary>
public sealed class LearningOptions
{
    /// <summary>Spam weight at which untrusted reports convict (confidence 1).</summary>
    [Range(0.01, 1000)]
    public double ConvictionWeight { get; set; } = 1.0;

    /// <summary>
    /// Trust of a reporter is (agreed + PriorAgreements) / (agreed + Penalty × disagreed + PriorAgreements
    /// + PriorDisagreements): a reporter nobody has checked yet starts at 1 / (1 + 4) = 0.2.
    /// </summary>
    [Range(0.01, 1000)]
    public double PriorAgreements { get; set; } = 1;

    /// <inheritdoc cref="PriorAgreements"/>
    [Range(0, 1000)]
    public double PriorDisagreements { get; set; } = 4;

    /// <summary>How much more one disagreement with a trusted source counts than one agreement.</summary>
    [Range(1, 100)]
    public double DisagreementPenalty { get; set; } = 3;

    /// <summary>
    /// The most one untrusted reporter can weigh, however good its record: below ConvictionWeight, no
    /// single reporter convicts alone (at the default, two good reporters are needed).
    /// </summary>
    [Range(0, 1000)]
    public double MaxReporterWeight { get; set; } = 0.6;

    /// <summary>Reporter records are forgotten this long after the reporter's last report or check.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan ReporterTtl { get; set; } = TimeSpan.FromDays(365);
}
