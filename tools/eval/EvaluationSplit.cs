namespace Gateway.Eval;

/// <summary>
/// The split every detector is measured on. Learned: one report per spam campaign, its first member
/// in file order (files are numbered in random order, so this is a random member chosen without
/// looking at content). Judged: the campaigns' other members, the singleton spam, and all ham.
/// </summary>
public sealed class EvaluationSplit
{
    public EvaluationSplit(IReadOnlyList<CorpusMessage> messages)
    {
        var spam = messages.Where(m => m.IsSpam).OrderBy(m => m.File, StringComparer.Ordinal).ToList();
        Learned = spam.Where(m => m.InCampaign).GroupBy(m => m.Campaign).Select(g => g.First()).ToList();
        var learned = Learned.Select(m => m.File).ToHashSet();
        CampaignOthers = spam.Where(m => m.InCampaign && !learned.Contains(m.File)).ToList();
        Singletons = spam.Where(m => !m.InCampaign).ToList();
        Ham = messages.Where(m => !m.IsSpam).OrderBy(m => m.File, StringComparer.Ordinal).ToList();
    }

    public IReadOnlyList<CorpusMessage> Learned { get; }

    public IReadOnlyList<CorpusMessage> CampaignOthers { get; }

    public IReadOnlyList<CorpusMessage> Singletons { get; }

    public IReadOnlyList<CorpusMessage> Ham { get; }
}
