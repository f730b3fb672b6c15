namespace Gateway.Fuzz.Harnesses;

/// <summary>
/// One fuzzing entry point. <see cref="Run"/> throws <see cref="FuzzFinding"/> (or lets any other exception
/// escape) when the input exposes a bug: a crash, a hang, an unexpected exception the code swallowed, or a
/// broken invariant. The same entry point serves afl-fuzz (through SharpFuzz) and the mutation runner.
/// </summary>
public interface IFuzzTarget : IDisposable
{
    string Name { get; }

    /// <summary>Starting inputs: built-in examples and, where given, files of the shared corpus.</summary>
    IEnumerable<byte[]> Seeds(string? corpusDir);

    /// <summary>Words of the input's language that the mutation runner inserts besides its generic ones.</summary>
    IReadOnlyList<byte[]> Tokens => [];

    void Run(ReadOnlySpan<byte> input);
}
