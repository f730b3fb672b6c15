namespace Gateway.SenderIntelligence.Policy;

/// <summary>One problem in a policy file: where (1-based line and column) and why.</summary>
public readonly record struct PolicyError(int Line, int Column, string Reason)
{
    public override string ToString() => $"line {Line}, column {Column}: {Reason}";
}
