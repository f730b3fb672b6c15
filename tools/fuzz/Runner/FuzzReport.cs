namespace Gateway.Fuzz.Runner;

/// <summary>What one mutation run did and found.</summary>
public sealed class FuzzReport(string target, int seed)
{
    public string Target { get; } = target;

    public int Seed { get; } = seed;

    public long Executions { get; set; }

    public int Seeds { get; set; }

    public long TotalInputBytes { get; set; }

    public TimeSpan Slowest { get; set; }

    public TimeSpan Elapsed { get; set; }

    public List<FuzzFindingRecord> Findings { get; } = [];

    public override string ToString() =>
        $"target {Target}, seed {Seed}: {Executions} inputs ({Seeds} seeds) in {Elapsed.TotalSeconds:0.0} s, " +
        $"{TotalInputBytes / 1024} KiB, slowest {Slowest.TotalMilliseconds:0} ms, findings {Findings.Count}";
}

public sealed record FuzzFindingRecord(string Key, string Detail, string? SavedInput, int InputBytes);
