using Gateway.Common.Redis;
using Gateway.FingerprintFilter.Configuration;
using Gateway.FingerprintFilter.Store;
using Gateway.V1;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.FingerprintFilter.Sharing;

/// <summary>
/// The feed in Redis: a <see cref="RedisSequenceLog"/> named <c>fpfeed</c> whose payloads are serialized
/// <see cref="FingerprintEvent"/>s, trimmed to MaxFeedEvents, with <c>fpfeed:notify</c> for subscribers.
/// </summary>
public sealed class RedisFeedLog : IFeedLog
{
    private const string Name = "fpfeed";

    private readonly IRedisConnection _redis;
    private readonly RedisSequenceLog _log;
    private readonly RedisChannel _channel;
    private readonly FingerprintFilterOptions _options;
    private readonly TimeProvider _time;

    public RedisFeedLog(IRedisConnection redis, IOptions<FingerprintFilterOptions> options, TimeProvider time)
    {
        _redis = redis;
        _log = new RedisSequenceLog(redis, Name);
        _channel = RedisChannel.Literal(redis.Key(Name, "notify").ToString());
        _options = options.Value;
        _time = time;
    }

    public async Task<long> AppendAsync(FingerprintEvent fingerprintEvent, CancellationToken cancellationToken)
    {
        try
        {
            var database = _redis.Database;
            var sequence = await _log.ReserveAsync(database, 1).WaitAsync(cancellationToken);
            fingerprintEvent.Sequence = sequence;
            var batch = database.CreateBatch();
            var writes = new[]
            {
                _log.AppendAsync(batch, sequence, _time.GetUtcNow(), fingerprintEvent.ToByteArray()),
                _log.TrimAsync(batch, _options.Sharing.MaxFeedEvents),
                batch.PublishAsync(_channel, sequence),
            };
            batch.Execute();
            await Task.WhenAll(writes).WaitAsync(cancellationToken);
            return sequence;
        }
        catch (Exception ex) when (RedisFingerprintStore.IsStoreFault(ex))
        {
            throw RedisFingerprintStore.Unavailable(ex);
        }
    }

    public async Task<FeedPage> ReadAsync(long watermark, int maxEvents, CancellationToken cancellationToken)
    {
        try
        {
            var page = await _log.ReadAsync(watermark, maxEvents, _options.HotCache.GapGrace, _time.GetUtcNow())
                .WaitAsync(cancellationToken);
            var events = new List<FingerprintEvent>(page.Entries.Count);
            foreach (var entry in page.Entries)
            {
                try
                {
                    var parsed = FingerprintEvent.Parser.ParseFrom(entry.Payload.Span);
                    parsed.Sequence = entry.Sequence;
                    events.Add(parsed);
                }
                catch (InvalidProtocolBufferException)
                {
                    // Not ours to interpret (written by something else under the prefix); skipped.
                }
            }

            return new FeedPage(events, page.Watermark, page.More);
        }
        catch (Exception ex) when (RedisFingerprintStore.IsStoreFault(ex))
        {
            throw RedisFingerprintStore.Unavailable(ex);
        }
    }

    public async Task<IAsyncDisposable> SubscribeAsync(System.Action onAppend, CancellationToken cancellationToken)
    {
        var subscriber = _redis.Database.Multiplexer.GetSubscriber();
        Action<RedisChannel, RedisValue> handler = (_, _) => onAppend();
        try
        {
            await subscriber.SubscribeAsync(_channel, handler).WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (RedisFingerprintStore.IsStoreFault(ex))
        {
            throw RedisFingerprintStore.Unavailable(ex);
        }

        return new Unsubscriber(() => subscriber.UnsubscribeAsync(_channel, handler));
    }

    private sealed class Unsubscriber(Func<Task> unsubscribe) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await unsubscribe();
            }
            catch (Exception ex) when (RedisFingerprintStore.IsStoreFault(ex))
            {
                // The connection is gone; so is the subscription.
            }
        }
    }
}
