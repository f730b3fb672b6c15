namespace Gateway.Bench.Remediation;
public static class CampaignBench { public static Task<int> RunAsync(BenchArguments args) => Task.FromResult(1); }
