namespace Gateway.FingerprintFilter.Intake;

/// <summary>A message found inside an abuse report, and what the report says it is.</summary>
public sealed record ReportedMessage(ReadOnlyMemory<byte> Message, Store.FingerprintState Verdict);
