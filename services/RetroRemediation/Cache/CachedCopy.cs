using Gateway.RetroRemediation.Audit;
using Gateway.V1;
using Google.Protobuf.WellKnownTypes;

namespace Gateway.RetroRemediation.Cache;

/// <summary>A remembered copy: its record (fingerprints not included), progress, and where it is stored.</summary>
public sealed record CachedCopy(
    string Id, DeliveryRecord Record, CopyProgress Progress, CopyExemption Exemption, DateTimeOffset ExpiresAt)
{
    /// <summary>Where the progress bytes are: the record page key and the offset in it.</summary>
    internal RedisPlace ProgressPlace { get; init; }

    /// <summary>The fingerprints of a lookup that found this copy.</summary>
    public IReadOnlyList<string> MatchedFingerprints { get; init; } = [];

    public DeliveredCopy ToDeliveredCopy()
    {
        var record = Record.Clone();
        record.Fingerprints.Clear();
        record.Fingerprints.AddRange(MatchedFingerprints);
        var copy = new DeliveredCopy
        {
            Record = record,
            State = Progress.State,
            LastAction = AuditLabels.Words(Progress.LastAction, Progress.LastResult),
            CopyId = Id,
            ExemptBecause = Exemption switch
            {
                CopyExemption.SafeSender => "safe sender",
                CopyExemption.AllowListedClient => "allow-listed client",
                _ => "",
            },
        };
        if (Progress.LastActionAt is { } at)
        {
            copy.LastActionAt = Timestamp.FromDateTimeOffset(at);
        }

        return copy;
    }
}
