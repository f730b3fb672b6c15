namespace Gateway.SenderIntelligence.Policy;

/// <summary>A policy file that cannot be used; <see cref="Errors"/> lists every problem found, in file order.</summary>
public sealed class PolicyFileException : Exception
{
    public PolicyFileException(string source, IReadOnlyList<PolicyError> errors)
        : base($"{source}: " + string.Join("; ", errors))
    {
        Source = source;
        Errors = errors;
    }

    public new string Source { get; }

    public IReadOnlyList<PolicyError> Errors { get; }
}
