using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Logging;

namespace Gateway.ClusterCommon.Kafka;

/// <summary>
/// Makes sure the topics this service needs exist and can hold its largest record: creates the missing ones
/// when <see cref="KafkaOptions.CreateTopics"/> is on (with <c>max.message.bytes</c> sized for the record
/// limit), and checks the limit of existing ones where the broker tells. Until that succeeded once, the
/// service is not ready.
/// </summary>
public sealed class KafkaTopicProvisioner : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    private readonly KafkaClientFactory _factory;
    private readonly IReadOnlyList<KafkaTopicRequirement> _requirements;
    private readonly ILogger<KafkaTopicProvisioner> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly IAdminClient _admin;
    private volatile bool _ready;

    public KafkaTopicProvisioner(
        KafkaClientFactory factory,
        KafkaEventProducer producer,
        IEnumerable<KafkaTopicRequirementSet> requirements,
        ILogger<KafkaTopicProvisioner> logger)
    {
        _factory = factory;
        _logger = logger;

        // Several components may name one topic; the largest record wins.
        _requirements = requirements.SelectMany(s => s.Topics).GroupBy(r => r.Topic, StringComparer.Ordinal)
            .Select(g => new KafkaTopicRequirement(g.Key, g.Max(r => r.MaxValueBytes)))
            .ToList();

        // Shares the producer's connections; a producer handle may also trigger automatic topic creation
        // on brokers that allow it (librdkafka's mock cluster does).
        _admin = new DependentAdminClientBuilder(producer.Handle).Build();
    }

    public IReadOnlyList<KafkaTopicRequirement> Requirements => _requirements;

    public bool IsReady => _ready;

    /// <summary>
    /// Checks (and creates) the topics; returns null when all is well, else what is wrong. Cheap once it has
    /// succeeded: later calls only check that a broker answers.
    /// </summary>
    public async Task<string?> EnsureAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_ready)
            {
                var metadata = _admin.GetMetadata(RequestTimeout);
                return metadata.Brokers.Count > 0 ? null : "no Kafka broker answers";
            }

            var problem = await ProvisionAsync();
            _ready = problem is null;
            return problem;
        }
        catch (KafkaException ex)
        {
            return "Kafka: " + ex.Error.Reason;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<string?> ProvisionAsync()
    {
        var options = _factory.Options;
        var existing = Existing();
        var missing = _requirements.Where(r => !existing.Contains(r.Topic)).ToList();
        if (missing.Count > 0 && options.CreateTopics)
        {
            await CreateAsync(missing, options);
        }
        else if (missing.Count > 0)
        {
            // Asking for a topic by name lets a broker with automatic creation make it.
            foreach (var requirement in missing)
            {
                _admin.GetMetadata(requirement.Topic, RequestTimeout);
            }
        }

        existing = Existing();
        var stillMissing = _requirements.Where(r => !existing.Contains(r.Topic)).Select(r => r.Topic).ToList();
        if (stillMissing.Count > 0)
        {
            return "missing Kafka topics: " + string.Join(", ", stillMissing);
        }

        return await CheckSizesAsync();
    }

    private HashSet<string> Existing()
    {
        var metadata = _admin.GetMetadata(RequestTimeout);
        return metadata.Topics
            .Where(t => t.Error.Code == ErrorCode.NoError && t.Partitions.Count > 0)
            .Select(t => t.Topic)
            .ToHashSet(StringComparer.Ordinal);
    }

    private async Task CreateAsync(List<KafkaTopicRequirement> missing, KafkaOptions options)
    {
        var specs = missing.Select(r => new TopicSpecification
        {
            Name = r.Topic,
            NumPartitions = options.Partitions,
            ReplicationFactor = options.ReplicationFactor,
            Configs = new Dictionary<string, string>
            {
                ["max.message.bytes"] = RecordBytes(r).ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        }).ToList();
        try
        {
            await _admin.CreateTopicsAsync(specs, new CreateTopicsOptions
            {
                RequestTimeout = RequestTimeout,
                OperationTimeout = RequestTimeout,
            });
            foreach (var spec in specs)
            {
                KafkaLog.TopicCreated(_logger, spec.Name, spec.NumPartitions, spec.ReplicationFactor,
                    RecordBytes(missing.First(r => r.Topic == spec.Name)));
            }
        }
        catch (CreateTopicsException ex)
        {
            foreach (var result in ex.Results)
            {
                if (result.Error.Code == ErrorCode.NoError)
                {
                    KafkaLog.TopicCreated(_logger, result.Topic, options.Partitions, options.ReplicationFactor,
                        RecordBytes(missing.First(r => r.Topic == result.Topic)));
                }
                else if (result.Error.Code != ErrorCode.TopicAlreadyExists)
                {
                    KafkaLog.TopicCreateFailed(_logger, result.Topic, result.Error.Reason);
                }
            }
        }
        catch (KafkaException ex)
        {
            foreach (var requirement in missing)
            {
                KafkaLog.TopicCreateFailed(_logger, requirement.Topic, ex.Error.Reason);
            }
        }
    }

    /// <summary>
    /// A topic whose max.message.bytes is below our largest record would refuse mail we already answered
    /// for in the SMTP dialogue (SIZE); that is a configuration error to find at start, not at 250 time.
    /// </summary>
    private async Task<string?> CheckSizesAsync()
    {
        List<DescribeConfigsResult> results;
        try
        {
            results = await _admin.DescribeConfigsAsync(
                _requirements.Select(r => new ConfigResource { Type = ResourceType.Topic, Name = r.Topic }),
                new DescribeConfigsOptions { RequestTimeout = RequestTimeout });
        }
        catch (KafkaException ex)
        {
            // Some brokers (and the mock cluster) do not answer this; the size is then not checked.
            foreach (var requirement in _requirements)
            {
                KafkaLog.TopicConfigUnknown(_logger, requirement.Topic, ex.Error.Reason);
            }

            return null;
        }

        var tooSmall = new List<string>();
        foreach (var result in results)
        {
            var needed = RecordBytes(_requirements.First(r => r.Topic == result.ConfigResource.Name));
            if (result.Entries.TryGetValue("max.message.bytes", out var entry)
                && long.TryParse(entry.Value, out var topicMax) && topicMax < needed)
            {
                KafkaLog.TopicTooSmall(_logger, result.ConfigResource.Name, topicMax, needed);
                tooSmall.Add(result.ConfigResource.Name);
            }
        }

        return tooSmall.Count == 0
            ? null
            : "Kafka topics with a too small max.message.bytes: " + string.Join(", ", tooSmall);
    }

    private static int RecordBytes(KafkaTopicRequirement requirement) =>
        requirement.MaxValueBytes + KafkaClientFactory.RecordOverheadBytes;

    public void Dispose()
    {
        _admin.Dispose();
        _gate.Dispose();
    }
}
