using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Gateway.Tools.KafkaMock;

/// <summary>
/// An in-process librdkafka mock cluster (<c>test.mock.num.brokers</c>) that speaks the Kafka protocol on
/// 127.0.0.1, reachable from other processes at <see cref="BootstrapServers"/>. It lives as long as this
/// object. Limits of the mock: each partition keeps only its newest ~5 MiB (older records are dropped, as by
/// retention), topics are created automatically with 4 partitions, and admin requests that need a controller
/// (CreateTopics, DescribeConfigs) are not answered. Its brokers can be taken down and brought back
/// (<see cref="SetBrokersDown"/>, <see cref="SetBrokersUp"/>) without losing what they hold, to test how
/// clients live through a Kafka outage.
/// </summary>
public sealed class MockKafkaCluster : IDisposable
{
    private const int ErrorTextBytes = 512;

    private readonly Lock _gate = new();
    private IntPtr _host;
    private readonly IntPtr _cluster;

    private MockKafkaCluster(IntPtr host, IntPtr cluster, int brokers, string bootstrapServers)
    {
        _host = host;
        _cluster = cluster;
        Brokers = brokers;
        BootstrapServers = bootstrapServers;
    }

    /// <summary>Comma-separated host:port list of the mock brokers.</summary>
    public string BootstrapServers { get; }

    /// <summary>Number of brokers; their ids are 1 to this.</summary>
    public int Brokers { get; }

    /// <summary>True between <see cref="SetBrokersDown"/> and <see cref="SetBrokersUp"/>.</summary>
    public bool IsDown { get; private set; }

    /// <exception cref="InvalidOperationException">librdkafka refused to create the mock cluster.</exception>
    public static MockKafkaCluster Start(int brokers = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);
        var error = new byte[ErrorTextBytes];
        var conf = LibrdkafkaMockNative.ConfNew();
        Set(conf, "test.mock.num.brokers", brokers.ToString(CultureInfo.InvariantCulture), error);

        // The hosting handle never produces; its notices and its own
        // connection errors while the brokers are down are not wanted on stderr.
        Set(conf, "log_level", "2", error);
        var host = LibrdkafkaMockNative.New(LibrdkafkaMockNative.ProducerType, conf, error, (UIntPtr)error.Length);
        if (host == IntPtr.Zero)
        {
            LibrdkafkaMockNative.ConfDestroy(conf);
            throw new InvalidOperationException("librdkafka did not create the mock cluster host: " + Text(error));
        }

        var cluster = LibrdkafkaMockNative.HandleMockCluster(host);
        var bootstraps = cluster == IntPtr.Zero
            ? null
            : Marshal.PtrToStringUTF8(LibrdkafkaMockNative.MockClusterBootstraps(cluster));
        if (string.IsNullOrEmpty(bootstraps))
        {
            LibrdkafkaMockNative.Destroy(host);
            throw new InvalidOperationException("librdkafka created no mock cluster for test.mock.num.brokers.");
        }

        return new MockKafkaCluster(host, cluster, brokers, bootstraps);
    }

    /// <summary>
    /// Takes every broker down: open connections are closed and new ones refused (the ports stay reserved),
    /// as when the Kafka servers stop. Topics, records and committed offsets are kept.
    /// </summary>
    public void SetBrokersDown() => SetAll(down: true);

    /// <summary>Brings every broker back on its old port, with the data it held.</summary>
    public void SetBrokersUp() => SetAll(down: false);

    public void Dispose()
    {
        lock (_gate)
        {
            if (_host != IntPtr.Zero)
            {
                LibrdkafkaMockNative.Destroy(_host);
                _host = IntPtr.Zero;
            }
        }
    }

    private void SetAll(bool down)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_host == IntPtr.Zero, this);
            for (var id = 1; id <= Brokers; id++)
            {
                var result = down
                    ? LibrdkafkaMockNative.MockBrokerSetDown(_cluster, id)
                    : LibrdkafkaMockNative.MockBrokerSetUp(_cluster, id);
                if (result != 0)
                {
                    throw new InvalidOperationException(
                        $"librdkafka refused to set mock broker {id} {(down ? "down" : "up")}: error {result}");
                }
            }

            IsDown = down;
        }
    }

    private static void Set(IntPtr conf, string name, string value, byte[] error)
    {
        if (LibrdkafkaMockNative.ConfSet(conf, name, value, error, (UIntPtr)error.Length)
            != LibrdkafkaMockNative.ConfOk)
        {
            LibrdkafkaMockNative.ConfDestroy(conf);
            throw new InvalidOperationException($"librdkafka refused {name}={value}: {Text(error)}");
        }
    }

    private static string Text(byte[] error)
    {
        var end = Array.IndexOf(error, (byte)0);
        return Encoding.UTF8.GetString(error, 0, end < 0 ? error.Length : end);
    }
}
