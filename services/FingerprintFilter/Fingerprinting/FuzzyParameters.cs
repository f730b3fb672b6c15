namespace Gateway.FingerprintFilter.Fingerprinting;

/// <summary>
/// The shape of a fuzzy digest. <see cref="F1"/> defines kind <c>f1</c> and must never change: other
/// nodes, other sites and delivery records hold its components. Other values exist for experiments
/// (tools/eval) only and give components that match nothing computed with <see cref="F1"/>.
/// </summary>
/// <param name="ShingleWords">Words per shingle.</param>
/// <param name="Bins">Min-hash bins (a power of two).</param>
/// <param name="RowsPerBand">Bins hashed together into one component; Bins / RowsPerBand components.</param>
public sealed record FuzzyParameters(int ShingleWords, int Bins, int RowsPerBand)
{
    public static FuzzyParameters F1 { get; } = new(3, 64, 2);

    public int Bands => Bins / RowsPerBand;
}
