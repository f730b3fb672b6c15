using System.Runtime.InteropServices;

namespace Gateway.Tools.KafkaMock;

/// <summary>
/// The parts of librdkafka's C API that host and steer its mock cluster. Confluent.Kafka does not expose them,
/// so they are bound here to the very library Confluent.Kafka loaded: it picks one of several builds
/// (glibc, centos8, alpine) by what the machine has, and the default name would find a build whose
/// dependencies may be missing.
/// </summary>
internal static class LibrdkafkaMockNative
{
    private const string Library = "librdkafka";

    /// <summary>rd_kafka_type_t RD_KAFKA_PRODUCER.</summary>
    public const int ProducerType = 0;

    /// <summary>rd_kafka_conf_res_t RD_KAFKA_CONF_OK.</summary>
    public const int ConfOk = 0;

    static LibrdkafkaMockNative() =>
        NativeLibrary.SetDllImportResolver(typeof(LibrdkafkaMockNative).Assembly, Resolve);

    [DllImport(Library, EntryPoint = "rd_kafka_conf_new")]
    public static extern IntPtr ConfNew();

    [DllImport(Library, EntryPoint = "rd_kafka_conf_destroy")]
    public static extern void ConfDestroy(IntPtr conf);

    [DllImport(Library, EntryPoint = "rd_kafka_conf_set", BestFitMapping = false, ThrowOnUnmappableChar = true)]
    public static extern int ConfSet(
        IntPtr conf,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string name,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string value,
        byte[] errstr,
        UIntPtr errstrSize);

    /// <summary>Takes ownership of <paramref name="conf"/> on success only.</summary>
    [DllImport(Library, EntryPoint = "rd_kafka_new")]
    public static extern IntPtr New(int type, IntPtr conf, byte[] errstr, UIntPtr errstrSize);

    [DllImport(Library, EntryPoint = "rd_kafka_destroy")]
    public static extern void Destroy(IntPtr handle);

    /// <summary>The mock cluster a handle created with <c>test.mock.num.brokers</c> hosts (owned by it).</summary>
    [DllImport(Library, EntryPoint = "rd_kafka_handle_mock_cluster")]
    public static extern IntPtr HandleMockCluster(IntPtr handle);

    /// <summary>The cluster's comma-separated listener list (a string owned by the cluster).</summary>
    [DllImport(Library, EntryPoint = "rd_kafka_mock_cluster_bootstraps")]
    public static extern IntPtr MockClusterBootstraps(IntPtr cluster);

    /// <summary>Closes the broker's connections and stops its listener (same port kept); its data stays.</summary>
    [DllImport(Library, EntryPoint = "rd_kafka_mock_broker_set_down")]
    public static extern int MockBrokerSetDown(IntPtr cluster, int brokerId);

    [DllImport(Library, EntryPoint = "rd_kafka_mock_broker_set_up")]
    public static extern int MockBrokerSetUp(IntPtr cluster, int brokerId);

    private static IntPtr Resolve(string name, System.Reflection.Assembly assembly, DllImportSearchPath? path)
    {
        if (name != Library)
        {
            return IntPtr.Zero;
        }

        Confluent.Kafka.Library.Load();
        var loaded = LoadedPath();
        return loaded is not null && NativeLibrary.TryLoad(loaded, out var handle) ? handle : IntPtr.Zero;
    }

    /// <summary>The file of the librdkafka build mapped into this process (Linux), or null.</summary>
    private static string? LoadedPath()
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps))
        {
            return null;
        }

        foreach (var line in File.ReadLines(maps))
        {
            var at = line.IndexOf('/', StringComparison.Ordinal);
            if (at >= 0 && Path.GetFileName(line[at..]).Contains("librdkafka", StringComparison.Ordinal))
            {
                return line[at..];
            }
        }

        return null;
    }
}
