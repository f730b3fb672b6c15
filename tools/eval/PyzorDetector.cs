namespace Gateway.Eval;

/// <summary>
/// pyzor as its servers would judge: a message is caught when its digest equals the digest of a
/// reported message (pyzor's server only stores and counts digests, so comparing digests locally gives
/// the same answer without a server). Messages pyzor gives no digest are never caught.
/// </summary>
public sealed class PyzorDetector(string python, string script) : IDetector
{
    /// <summary>SHA-1 of no bytes: what pyzor gives a message with no lines it digests.</summary>
    public const string EmptyDigest = "da39a3ee5e6b4b0d3255bfef95601890afd80709";

    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);

    public string Name => "pyzor digest";

    public async Task LearnAsync(IReadOnlyList<CorpusMessage> reports, CancellationToken cancellationToken)
    {
        var (digests, _, _) = await PyzorDigester.RunAsync(
            python, script, reports.Select(r => r.Path), 1, cancellationToken);
        _reported.UnionWith(digests.Values.Where(d => d != "-"));
    }

    public async Task<IReadOnlyList<Judgement>> JudgeAsync(
        IReadOnlyList<CorpusMessage> messages, CancellationToken cancellationToken)
    {
        var (digests, _, _) = await PyzorDigester.RunAsync(
            python, script, messages.Select(m => m.Path), 1, cancellationToken);
        return messages.Select(m =>
        {
            var digest = digests.GetValueOrDefault(m.Path, "-");
            return new Judgement(m, digest != "-" && _reported.Contains(digest), Detail: digest);
        }).ToList();
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
