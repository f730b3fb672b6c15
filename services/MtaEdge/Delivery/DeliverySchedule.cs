using Gateway.MtaEdge.Queue;

namespace Gateway.MtaEdge.Delivery;

/// <summary>
/// The in-memory timetable of delivery attempts, filled by the spool (new and recovered messages)
/// and by the worker (retries). It is rebuilt from the envelopes at every start, so it holds no
/// state of its own worth persisting.
/// </summary>
public sealed class DeliverySchedule : IDeliveryScheduler
{
    private readonly Lock _gate = new();
    private readonly PriorityQueue<string, DateTimeOffset> _timetable = new();
    private readonly Dictionary<string, DateTimeOffset> _dueAt = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = NewSignal();

    /// <summary>Messages waiting for an attempt (not counting those being delivered now).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _dueAt.Count;
            }
        }
    }

    public void Schedule(string queueId, DateTimeOffset dueAt)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            // A replaced entry stays in the priority queue and is skipped when it surfaces.
            _dueAt[queueId] = dueAt;
            _timetable.Enqueue(queueId, dueAt);
            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }

    /// <summary>Takes the earliest message due at <paramref name="now"/>, if any.</summary>
    public bool TryTakeDue(DateTimeOffset now, out string queueId)
    {
        lock (_gate)
        {
            while (_timetable.TryPeek(out var id, out var dueAt))
            {
                if (!_dueAt.TryGetValue(id, out var current) || current != dueAt)
                {
                    _timetable.Dequeue();
                    continue;
                }

                if (dueAt > now)
                {
                    break;
                }

                _timetable.Dequeue();
                _dueAt.Remove(id);
                queueId = id;
                return true;
            }
        }

        queueId = "";
        return false;
    }

    /// <summary>When the next attempt is due, or null when nothing is scheduled.</summary>
    public DateTimeOffset? NextDueAt
    {
        get
        {
            lock (_gate)
            {
                while (_timetable.TryPeek(out var id, out var dueAt))
                {
                    if (_dueAt.TryGetValue(id, out var current) && current == dueAt)
                    {
                        return dueAt;
                    }

                    _timetable.Dequeue();
                }

                return null;
            }
        }
    }

    /// <summary>
    /// Completes at the next <see cref="Schedule"/> call. Take it before looking at the timetable,
    /// so a message scheduled in between is not slept through.
    /// </summary>
    public Task Changed
    {
        get
        {
            lock (_gate)
            {
                return _changed.Task;
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
