namespace Gateway.FingerprintFilter.Store;

/// <summary>How often a reporter agreed and disagreed with trusted sources.</summary>
public sealed record ReporterRecord(string Reporter, long Agreed, long Disagreed)
{
    public static ReporterRecord New(string reporter) => new(reporter, 0, 0);
}
