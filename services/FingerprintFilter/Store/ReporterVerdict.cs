namespace Gateway.FingerprintFilter.Store;

/// <summary>An untrusted reporter's verdict on some content.</summary>
public sealed record ReporterVerdict(string Reporter, FingerprintState Verdict);
