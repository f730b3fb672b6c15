namespace Gateway.Reliability.Tests.Harness;

/// <summary>What the file spool under &lt;DataDir&gt;/spool holds right now.</summary>
public sealed record SpoolState(int Queued, int QueueFiles, int TmpFiles, int CorruptFiles)
{
    public static SpoolState Read(string dataDir)
    {
        var spool = Path.Combine(dataDir, "spool");
        return new SpoolState(
            Count(Path.Combine(spool, "queue"), "*.json"),
            Count(Path.Combine(spool, "queue"), "*"),
            Count(Path.Combine(spool, "tmp"), "*"),
            Count(Path.Combine(spool, "corrupt"), "*"));
    }

    public override string ToString() =>
        $"queued {Queued} (files {QueueFiles}), tmp {TmpFiles}, corrupt {CorruptFiles}";

    private static int Count(string dir, string pattern) =>
        Directory.Exists(dir) ? Directory.GetFiles(dir, pattern).Length : 0;
}
