namespace Gateway.Eval;

/// <summary>One row of corpus/index.tsv: the file, spam or ham, and its campaign ("-" for none).</summary>
public sealed record CorpusMessage(string File, string Path, bool IsSpam, string Campaign)
{
    public bool InCampaign => Campaign != "-";
}
