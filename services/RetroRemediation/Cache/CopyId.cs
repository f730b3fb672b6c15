namespace Gateway.RetroRemediation.Cache;

/// <summary>
/// Where a copy lives in the cache, and its public id: the slot (start, Unix seconds) and the byte offset
/// of its entry in that slot's record stream, both base 36, e.g. <c>t5h2k0-3fa</c>.
/// </summary>
public readonly record struct CopyId(long SlotStart, long Offset)
{
    public override string ToString() => Base36.Format(SlotStart) + "-" + Base36.Format(Offset);

    public static bool TryParse(string? text, out CopyId id)
    {
        id = default;
        if (string.IsNullOrEmpty(text) || text.Length > 26)
        {
            return false;
        }

        var dash = text.IndexOf('-');
        if (dash <= 0 || !Base36.TryParse(text.AsSpan(0, dash), out var slot)
            || !Base36.TryParse(text.AsSpan(dash + 1), out var offset) || offset > uint.MaxValue)
        {
            return false;
        }

        id = new CopyId(slot, offset);
        return true;
    }
}
