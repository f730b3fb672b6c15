using System.Diagnostics;

namespace Gateway.Bench.Sender;

/// <summary>
/// Latencies of one kind of check, one list per worker (no locking on the hot path), merged at the end.
/// </summary>
public sealed class LatencyRecorder
{
    private readonly List<long>[] _perWorker;

    public LatencyRecorder(string name, int workers)
    {
        Name = name;
        _perWorker = Enumerable.Range(0, workers).Select(_ => new List<long>(1 << 16)).ToArray();
    }

    public string Name { get; }

    public void Record(int worker, long startedTimestamp) =>
        _perWorker[worker].Add(Stopwatch.GetTimestamp() - startedTimestamp);

    public long Count => _perWorker.Sum(l => (long)l.Count);

    /// <summary>p50, p90, p99, p99.9 and max in milliseconds.</summary>
    public (double P50, double P90, double P99, double P999, double Max) Percentiles()
    {
        var all = _perWorker.SelectMany(l => l).ToArray();
        if (all.Length == 0)
        {
            return default;
        }

        Array.Sort(all);
        double At(double q) => all[Math.Min(all.Length - 1, (int)Math.Ceiling(
            q * all.Length) - 1)] * 1000.0 / Stopwatch.Frequency;
        return (At(0.50), At(0.90), At(0.99), At(0.999), all[^1] * 1000.0 / Stopwatch.Frequency);
    }

    public void Clear()
    {
        foreach (var list in _perWorker)
        {
            list.Clear();
        }
    }
}
