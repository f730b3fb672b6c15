using Gateway.Common.Configuration;
using Gateway.MtaEdge.Delivery;
using Gateway.MtaEdge.Delivery.Dsn;
using Gateway.MtaEdge.Queue;
using Gateway.MtaEdge.Tests.Queue.Support;
using Microsoft.Extensions.Options;

namespace Gateway.MtaEdge.Tests.Delivery.Support;

/// <summary>A spool, schedule, target and worker wired as the host wires them, in a temp data dir.</summary>
public sealed class DeliveryHarness : IAsyncDisposable
{
    private readonly TempDirectory _dataDir = new();
    private bool _started;

    public DeliveryHarness(string target, Action<DeliveryOptions>? configure = null, TempDirectory? dataDir = null)
    {
        if (dataDir is not null)
        {
            _dataDir.Dispose();
            _dataDir = dataDir;
        }

        GatewayOptions = SpoolFactory.Options(_dataDir.Path);
        Options = new DeliveryOptions
        {
            Target = target,
            RetryInitialDelay = TimeSpan.FromMilliseconds(100),
            RetryMaxDelay = TimeSpan.FromMilliseconds(400),
            ConnectTimeout = TimeSpan.FromSeconds(2),
            CommandTimeout = TimeSpan.FromSeconds(2),
        };
        configure?.Invoke(Options);

        var gateway = Microsoft.Extensions.Options.Options.Create(GatewayOptions);
        var delivery = Microsoft.Extensions.Options.Options.Create(Options);
        var domains = new DomainSet(gateway);
        Schedule = new DeliverySchedule();
        Spool = new FileMessageSpool(gateway, Schedule, SpoolLogger);
        Target = new DeliveryTargetFactory(delivery, gateway, domains, TimeProvider.System).Create();
        var notifier = new DeliveryStatusNotifier(
            Spool, domains, gateway, TimeProvider.System, NotifierLogger, delivery);
        Worker = new DeliveryWorker(
            Spool, Schedule, Target, notifier, delivery, TimeProvider.System, WorkerLogger, Remediation, Claims);
    }

    public string DataDir => _dataDir.Path;

    public GatewayOptions GatewayOptions { get; }

    public DeliveryOptions Options { get; }

    public DeliverySchedule Schedule { get; }

    public FileMessageSpool Spool { get; }

    public IDeliveryTarget Target { get; }

    public DeliveryWorker Worker { get; }

    public RecordingRetroRemediation Remediation { get; } = new();

    public DeliveryClaims Claims { get; } = new();

    public ListLogger<DeliveryWorker> WorkerLogger { get; } = new();

    public ListLogger<FileMessageSpool> SpoolLogger { get; } = new();

    public ListLogger<DeliveryStatusNotifier> NotifierLogger { get; } = new();

    public async Task StartAsync()
    {
        _started = true;
        await Worker.StartAsync(CancellationToken.None);
    }

    public async Task StopAsync()
    {
        if (_started)
        {
            _started = false;
            await Worker.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Queues a message as the SMTP edge does and returns its queue id.</summary>
    public async Task<string> QueueAsync(string mailFrom, byte[] content, params string[] recipients)
    {
        var message = SpoolFactory.Message(Spool, mailFrom, recipients);
        await Spool.StoreAsync(message, content, CancellationToken.None);
        return message.QueueId;
    }

    /// <summary>Queues a message whose envelope the test has built (DSN parameters and such).</summary>
    public async Task<string> QueueAsync(QueuedMessage message, byte[] content)
    {
        await Spool.StoreAsync(message, content, CancellationToken.None);
        return message.QueueId;
    }

    /// <summary>Polls (bounded) until <paramref name="condition"/> holds; false on timeout.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(15));
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(25);
        }

        return condition();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Worker.Dispose();
        _dataDir.Dispose();
    }
}
