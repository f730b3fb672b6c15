using System.Globalization;

namespace Gateway.Bench.Sender;

/// <summary>Command line of the benchmark: --redis host:port [--seconds N] [--concurrency N] [--senders N].</summary>
public sealed record BenchOptions(string Redis, int Seconds, int Concurrency, int Senders, int FeedEntries)
{
    public static BenchOptions Parse(string[] args)
    {
        string? redis = null;
        int seconds = 10, concurrency = 32, senders = 5000, feed = 1_000_000;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Number() => int.Parse(Next(), NumberStyles.None, CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--redis": redis = Next(); break;
                case "--seconds": seconds = Number(); break;
                case "--concurrency": concurrency = Number(); break;
                case "--senders": senders = Number(); break;
                case "--feed-entries": feed = Number(); break;
                default: throw new ArgumentException($"unknown argument {args[i]}");
            }
        }

        return new BenchOptions(
            redis ?? throw new ArgumentException("--redis host:port is required"),
            Math.Clamp(seconds, 1, 3600), Math.Clamp(concurrency, 1, 4096), Math.Clamp(senders, 1, 10_000_000),
            Math.Clamp(feed, 0, 10_000_000));
    }
}
