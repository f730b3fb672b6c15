using Gateway.RetroRemediation.Audit;
using Gateway.V1;

namespace Gateway.RetroRemediation.Cache;

/// <summary>
/// The part of a cached copy that changes: its state, the last action with its result, the flags we
/// added (so an undo removes only those) and when (to the minute; the audit has the exact time). Four
/// bytes at a fixed place in the entry, rewritten in place:
/// <code>
/// byte 0  state (bits 0-3) | last action (4-7)
/// byte 1  last result (bits 0-3) | flags added (4-5)
/// u16     minutes after the slot start, plus one (0 = never): 45 days, more than any window
/// </code>
/// </summary>
public readonly record struct CopyProgress(
    CopyState State,
    AuditAction LastAction,
    AuditResult LastResult,
    StoreFlags FlagsAdded,
    DateTimeOffset? LastActionAt)
{
    public const int Size = 4;

    public static CopyProgress Recorded =>
        new(CopyState.Delivered, AuditAction.None, AuditResult.None, StoreFlags.None, null);

    internal void Write(Span<byte> target, long slotStart)
    {
        target[0] = (byte)((byte)State & 0xF | (byte)LastAction << 4);
        target[1] = (byte)((byte)LastResult & 0xF | ((byte)FlagsAdded & 3) << 4);
        var minutes = LastActionAt is { } at
            ? Math.Clamp((at.ToUnixTimeSeconds() - slotStart) / 60 + 1, 1, 0xFFFF)
            : 0;
        target[2] = (byte)(minutes >> 8);
        target[3] = (byte)minutes;
    }

    internal static CopyProgress Read(ReadOnlySpan<byte> source, long slotStart)
    {
        var minutes = source[2] << 8 | source[3];
        return new CopyProgress(
            (CopyState)(source[0] & 0xF),
            (AuditAction)(source[0] >> 4),
            (AuditResult)(source[1] & 0xF),
            (StoreFlags)(source[1] >> 4 & 3),
            minutes == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(slotStart + (minutes - 1) * 60L));
    }
}
