namespace Gateway.Eval;

/// <summary>A spam-fingerprint system under evaluation: learn reported spam, then judge messages.</summary>
public interface IDetector : IAsyncDisposable
{
    string Name { get; }

    Task LearnAsync(IReadOnlyList<CorpusMessage> reports, CancellationToken cancellationToken);

    /// <summary>Judges every message; true where the detector would act on it as known spam.</summary>
    Task<IReadOnlyList<Judgement>> JudgeAsync(
        IReadOnlyList<CorpusMessage> messages, CancellationToken cancellationToken);
}
