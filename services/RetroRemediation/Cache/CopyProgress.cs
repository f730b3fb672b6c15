using Gateway.RetroRemediation.Audit;
using Gateway.V1;

namespace Gateway.RetroRemediation.Cache;

/// <summary>
/// The part of a cached copy that changes: its state, the last action with its result, the flags we
/// added (so an undo removes only those) and when. Six bytes at a fixed place in the entry, rewritten in place.
/// </summary>
public readonly record struct CopyProgress(
    CopyState State, AuditAction LastAction, AuditResult LastResult, StoreFlags FlagsAdded, DateTimeOffset? LastActionAt)
{
    public const int Size = 6;

    public static CopyProgress Recorded => new(CopyState.Delivered, AuditAction.None, AuditResult.None, StoreFlags.None, null);

    internal void Write(Span<byte> target, long slotStart)
    {
        target[0] = (byte)State;
        target[1] = (byte)((byte)LastAction << 4 | (byte)LastResult);
        target[2] = (byte)FlagsAdded;

        // Seconds after the slot start plus one (0 = never), 24 bits: 194 days, more than any window.
        var seconds = LastActionAt is { } at ? Math.Clamp(at.ToUnixTimeSeconds() - slotStart + 1, 1, 0xFFFFFF) : 0;
        target[3] = (byte)(seconds >> 16);
        target[4] = (byte)(seconds >> 8);
        target[5] = (byte)seconds;
    }

    internal static CopyProgress Read(ReadOnlySpan<byte> source, long slotStart)
    {
        var seconds = source[3] << 16 | source[4] << 8 | source[5];
        return new CopyProgress(
            (CopyState)source[0],
            (AuditAction)(source[1] >> 4),
            (AuditResult)(source[1] & 0xF),
            (StoreFlags)(source[2] & 3),
            seconds == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(slotStart + seconds - 1));
    }
}
