namespace Gateway.RetroRemediation.Cache;

/// <summary>
/// A span of time whose copies share Redis keys and expire together: entries are written to the slot
/// current when they are recorded, and the slot's keys expire one window after the slot ends. The slot
/// length is a 48th of the window (1 s to 1 h); it is part of the slot's registry entry, so a changed
/// window does not lose the slots written before.
/// </summary>
internal readonly record struct CacheSlot(long Start, int Length)
{
    public string Id => Base36.Format(Start);

    public long End => Start + Length;

    /// <summary>The member in the slot registry (sorted set <c>sl</c>, score = start).</summary>
    public string Member => $"{Id}:{Base36.Format(Length)}";

    public static int LengthFor(TimeSpan window) => (int)Math.Clamp(Math.Ceiling(window.TotalSeconds / 48), 1, 3600);

    public static CacheSlot Current(DateTimeOffset now, TimeSpan window)
    {
        var length = LengthFor(window);
        var seconds = now.ToUnixTimeSeconds();
        return new CacheSlot(seconds - seconds % length, length);
    }

    /// <summary>Time to live of the slot's keys: one window (and one slot of slack) after the slot ends.</summary>
    public TimeSpan TimeToLive(DateTimeOffset now, TimeSpan window) =>
        TimeSpan.FromSeconds(End + Length - now.ToUnixTimeSeconds()) + window;

    public static bool TryParseMember(string member, out CacheSlot slot)
    {
        slot = default;
        var colon = member.IndexOf(':');
        if (colon <= 0 || !Base36.TryParse(member.AsSpan(0, colon), out var start)
            || !Base36.TryParse(member.AsSpan(colon + 1), out var length) || length is < 1 or > 3600)
        {
            return false;
        }

        slot = new CacheSlot(start, (int)length);
        return true;
    }
}
