namespace Gateway.MtaEdge.Tests.Smtp.Cases;

/// <summary>One line of a `.case` transcript.</summary>
public sealed record CaseStep(CaseStepKind Kind, int LineNumber, string Source)
{
    public byte[] Bytes { get; init; } = Array.Empty<byte>();

    public int Count { get; init; } = 1;

    public IReadOnlyList<string> Codes { get; init; } = Array.Empty<string>();

    public int Milliseconds { get; init; }
}
