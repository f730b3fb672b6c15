using System.Runtime.InteropServices;
using Gateway.Tools.KafkaMock;

// kafka-mock [--brokers N] [--bootstrap-file PATH] [--max-seconds S]
// Hosts librdkafka's mock Kafka cluster on 127.0.0.1, prints its bootstrap address (and writes it to the file),
// and runs until SIGTERM/SIGINT or until the time limit. The cluster's data lives only in this process.
// SIGUSR1 takes every broker down (connections closed and refused, data kept), SIGUSR2 brings them back.
const string Usage = "usage: kafka-mock [--brokers 1-9] [--bootstrap-file PATH] [--max-seconds S]\n"
    + "  SIGUSR1: brokers down (data kept), SIGUSR2: brokers up, SIGTERM/SIGINT: stop";
const int SigUsr1 = 10;
const int SigUsr2 = 12;
var brokers = 1;
string? bootstrapFile = null;
var maxSeconds = 0;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--brokers" when i + 1 < args.Length && int.TryParse(args[i + 1], out var n) && n is >= 1 and <= 9:
            brokers = n;
            i++;
            break;
        case "--bootstrap-file" when i + 1 < args.Length:
            bootstrapFile = args[++i];
            break;
        case "--max-seconds" when i + 1 < args.Length && int.TryParse(args[i + 1], out var s) && s >= 0:
            maxSeconds = s;
            i++;
            break;
        default:
            Console.Error.WriteLine(Usage);
            return 2;
    }
}

using var cluster = MockKafkaCluster.Start(brokers);
if (bootstrapFile is not null)
{
    var tmp = bootstrapFile + ".tmp";
    await File.WriteAllTextAsync(tmp, cluster.BootstrapServers + "\n");
    File.Move(tmp, bootstrapFile, overwrite: true);
}

Console.WriteLine(cluster.BootstrapServers);
using var stop = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(
    PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });

// Raw signal numbers (Linux values) are accepted by PosixSignalRegistration on Unix.
using var sigusr1 = PosixSignalRegistration.Create((PosixSignal)SigUsr1, context =>
{
    context.Cancel = true;
    Steer(cluster.SetBrokersDown, "brokers down");
});
using var sigusr2 = PosixSignalRegistration.Create((PosixSignal)SigUsr2, context =>
{
    context.Cancel = true;
    Steer(cluster.SetBrokersUp, "brokers up");
});
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
try
{
    await Task.Delay(maxSeconds > 0 ? TimeSpan.FromSeconds(maxSeconds) : Timeout.InfiniteTimeSpan, stop.Token);
}
catch (OperationCanceledException)
{
    // Asked to stop.
}

return 0;

// A signal that arrives while the cluster shuts down finds it disposed; that is not worth a crash.
static void Steer(Action change, string done)
{
    try
    {
        change();
        Console.WriteLine(done);
    }
    catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException)
    {
        Console.Error.WriteLine($"{done}: not done ({ex.Message})");
    }
}
