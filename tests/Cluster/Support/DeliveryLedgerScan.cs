using Gateway.Testing;
using StackExchange.Redis;

namespace Gateway.Cluster.Tests.Support;

/// <summary>
/// The delivery ledger of one test cluster as Redis holds it (<c>dl:&lt;queue id&gt;:&lt;recipient&gt;</c>):
/// how many recipients are marked delivered, failed, or still claimed by an attempt.
/// </summary>
public sealed record DeliveryLedgerScan(int Delivered, int Failed, int Claimed)
{
    private const int MaxKeys = 200_000;

    public override string ToString() => $"ledger: {Delivered} delivered, {Failed} failed, {Claimed} still claimed";

    public static async Task<DeliveryLedgerScan> RunAsync(TestCluster cluster)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(
            TestEnvironment.Require(TestEnvironment.RedisVariable));
        var server = redis.GetServers()[0];
        var db = redis.GetDatabase();
        int delivered = 0, failed = 0, claimed = 0, seen = 0;
        await foreach (var key in server.KeysAsync(pattern: cluster.KeyPrefix + "dl:*", pageSize: 1000))
        {
            if (++seen > MaxKeys)
            {
                break;
            }

            var value = (string?)await db.StringGetAsync(key);
            switch (value?[..Math.Min(2, value.Length)])
            {
                case "d|":
                    delivered++;
                    break;
                case "f|":
                    failed++;
                    break;
                case "c|":
                    claimed++;
                    break;
            }
        }

        return new DeliveryLedgerScan(delivered, failed, claimed);
    }
}
