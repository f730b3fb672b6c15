namespace Gateway.Bench.Remediation;
public static class LatencyBench { public static Task<int> RunAsync(BenchArguments args) => Task.FromResult(1); }
