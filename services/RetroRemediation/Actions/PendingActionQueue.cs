using Gateway.Common.Redis;
using Gateway.RetroRemediation.Configuration;
using Gateway.V1;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.RetroRemediation.Actions;

/// <summary>
/// The durable list of actions not finished yet, in Redis: sorted set <c>p</c> (copy id, score = when the
/// action is due, Unix milliseconds) and hash <c>pj</c> (copy id → <see cref="PendingAction"/>). One entry
/// per copy: a newer event for the copy replaces the older one (the state machine then decides from the
/// copy's current state). An action is written here before it is tried and removed only when it has a
/// final result, so a crash or a store that is down loses nothing: the worker of any process picks it
/// up again. Removal and rescheduling are conditional on the entry being unchanged (WATCH), so they
/// never undo a newer event's entry.
/// </summary>
public sealed class PendingActionQueue
{
    private const int WriteBatch = 500;

    private readonly IRedisConnection _redis;
    private readonly IOptions<RetroRemediationOptions> _options;

    public PendingActionQueue(IRedisConnection redis, IOptions<RetroRemediationOptions> options)
    {
        _redis = redis;
        _options = options;
    }

    /// <summary>Adds (or replaces) the actions, all due at <paramref name="due"/>.</summary>
    /// <exception cref="InvalidOperationException">The pending list is full (stores down for long?).</exception>
    public async Task EnqueueAsync(IReadOnlyList<PendingAction> actions, DateTimeOffset due)
    {
        if (actions.Count == 0)
        {
            return;
        }

        var db = _redis.Database;
        var pending = await db.SortedSetLengthAsync(_redis.Key("p"));
        var max = _options.Value.Retry.MaxPending;
        if (pending + actions.Count > max)
        {
            throw new InvalidOperationException(
                $"the pending-action list holds {pending} actions; {actions.Count} more would pass "
                + $"{RetroRemediationOptions.SectionName}:Retry:MaxPending ({max})");
        }

        var score = due.ToUnixTimeMilliseconds();
        foreach (var chunk in actions.Chunk(WriteBatch))
        {
            var jobs = chunk.Select(a => new HashEntry(a.CopyId, a.ToByteArray())).ToArray();
            var scores = chunk.Select(a => new SortedSetEntry(a.CopyId, score)).ToArray();

            // The job before its schedule entry: whoever sees the schedule can read the job.
            await Task.WhenAll(
                db.HashSetAsync(_redis.Key("pj"), jobs),
                db.SortedSetAddAsync(_redis.Key("p"), scores));
        }
    }

    /// <summary>Actions due by <paramref name="now"/>, earliest first, at most <paramref name="max"/>.</summary>
    public async Task<IReadOnlyList<PendingAction>> DueAsync(DateTimeOffset now, int max)
    {
        var db = _redis.Database;
        var ids = await db.SortedSetRangeByScoreAsync(
            _redis.Key("p"), double.NegativeInfinity, now.ToUnixTimeMilliseconds(), take: max);
        if (ids.Length == 0)
        {
            return [];
        }

        var values = await db.HashGetAsync(_redis.Key("pj"), ids);
        var due = new List<PendingAction>(ids.Length);
        for (var i = 0; i < ids.Length; i++)
        {
            if (values[i].IsNull)
            {
                // Schedule entry without a job (its writer died between the two): nothing to do.
                await db.SortedSetRemoveAsync(_redis.Key("p"), ids[i]);
                continue;
            }

            try
            {
                due.Add(PendingAction.Parser.ParseFrom((byte[])values[i]!));
            }
            catch (InvalidProtocolBufferException)
            {
                await RemoveAsync(ids[i].ToString());
            }
        }

        return due;
    }

    /// <summary>The action for this copy as stored now, or null.</summary>
    public async Task<PendingAction?> GetAsync(string copyId)
    {
        var value = await _redis.Database.HashGetAsync(_redis.Key("pj"), copyId);
        return value.IsNull ? null : PendingAction.Parser.ParseFrom((byte[])value!);
    }

    /// <summary>
    /// Removes the action if it is still <paramref name="action"/>; false when a newer one replaced it.
    /// </summary>
    public async Task<bool> CompleteAsync(PendingAction action)
    {
        var transaction = _redis.Database.CreateTransaction();
        transaction.AddCondition(Condition.HashEqual(_redis.Key("pj"), action.CopyId, action.ToByteArray()));
        _ = transaction.HashDeleteAsync(_redis.Key("pj"), action.CopyId);
        _ = transaction.SortedSetRemoveAsync(_redis.Key("p"), action.CopyId);
        return await transaction.ExecuteAsync();
    }

    /// <summary>
    /// Replaces <paramref name="current"/> by <paramref name="next"/>, due at <paramref name="due"/>, unless a newer
    /// one replaced it.
    /// </summary>
    public async Task<bool> RescheduleAsync(PendingAction current, PendingAction next, DateTimeOffset due)
    {
        var transaction = _redis.Database.CreateTransaction();
        transaction.AddCondition(Condition.HashEqual(_redis.Key("pj"), current.CopyId, current.ToByteArray()));
        _ = transaction.HashSetAsync(_redis.Key("pj"), next.CopyId, next.ToByteArray());
        _ = transaction.SortedSetAddAsync(_redis.Key("p"), next.CopyId, due.ToUnixTimeMilliseconds());
        return await transaction.ExecuteAsync();
    }

    public Task<long> CountAsync() => _redis.Database.SortedSetLengthAsync(_redis.Key("p"));

    private Task RemoveAsync(string copyId) => Task.WhenAll(
        _redis.Database.HashDeleteAsync(_redis.Key("pj"), copyId),
        _redis.Database.SortedSetRemoveAsync(_redis.Key("p"), copyId));
}
