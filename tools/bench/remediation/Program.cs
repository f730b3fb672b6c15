using Gateway.Bench.Remediation;

// remediation-bench memory|campaign|latency [--name value ...]; see README.md and run.sh.
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine("usage: remediation-bench memory|campaign|latency [--name value ...] (see README.md)");
    return args.Length == 0 ? 2 : 0;
}

var options = new BenchArguments(args.Skip(1));
try
{
    return args[0] switch
    {
        "memory" => await MemoryBench.RunAsync(options),
        "campaign" => await CampaignBench.RunAsync(options),
        "latency" => await LatencyBench.RunAsync(options),
        _ => throw new ArgumentException($"unknown mode '{args[0]}'"),
    };
}
catch (ArgumentException e)
{
    Console.Error.WriteLine("remediation-bench: " + e.Message);
    return 2;
}
