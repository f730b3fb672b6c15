using System.Diagnostics;

namespace Gateway.Bench.Fingerprint;

/// <summary>Latencies of one series of operations (wall clock and thread CPU time), and figures from them.</summary>
public sealed class LatencyStats
{
    private readonly List<long> _ticks = [];
    private readonly List<long> _cpuNanoseconds = [];

    public int Count => _ticks.Count;

    public void Add(long stopwatchTicks, long cpuNanoseconds)
    {
        _ticks.Add(stopwatchTicks);
        _cpuNanoseconds.Add(cpuNanoseconds);
    }

    /// <summary>A percentile of thread CPU time, in milliseconds.</summary>
    public double CpuPercentile(double p)
    {
        if (_cpuNanoseconds.Count == 0)
        {
            return double.NaN;
        }

        var sorted = _cpuNanoseconds.Order().ToList();
        var index = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Count - 1)] / 1e6;
    }

    /// <summary>Operations per second of thread CPU time: the rate one core sustains when it is not shared.</summary>
    public double PerCpuSecond => Count / (_cpuNanoseconds.Sum() / 1e9);

    public double Percentile(double p)
    {
        if (_ticks.Count == 0)
        {
            return double.NaN;
        }

        var sorted = _ticks.Order().ToList();
        var index = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
        return Milliseconds(sorted[Math.Clamp(index, 0, sorted.Count - 1)]);
    }

    public double TotalSeconds => _ticks.Sum() / (double)Stopwatch.Frequency;

    public double PerSecond => Count / TotalSeconds;

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
