namespace Gateway.FingerprintFilter.Sharing;

/// <summary>What importing one batch did.</summary>
/// <param name="Learned">Events learned.</param>
/// <param name="Skipped">Events already imported, or malformed.</param>
/// <param name="Convictions">Events that convicted their content here.</param>
/// <param name="Watermark">The peer's watermark after the batch.</param>
public sealed record ImportOutcome(int Learned, int Skipped, int Convictions, long Watermark);
