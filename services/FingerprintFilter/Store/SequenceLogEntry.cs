namespace Gateway.FingerprintFilter.Store;

/// <summary>One entry of a sequence log: its position, when it was appended, and its payload.</summary>
public sealed record SequenceLogEntry(long Sequence, DateTimeOffset AppendedAt, ReadOnlyMemory<byte> Payload);
