using Gateway.V1;
using Google.Protobuf.WellKnownTypes;

namespace Gateway.RetroRemediation.Tests.Support;

/// <summary>Fingerprint events as the fingerprint filter publishes them.</summary>
public static class Events
{
    public static FingerprintEvent Convicted(params string[] fingerprints) =>
        Make(FingerprintEventKind.Convicted, fingerprints);

    public static FingerprintEvent Reversed(params string[] fingerprints) =>
        Make(FingerprintEventKind.Reversed, fingerprints);

    private static FingerprintEvent Make(FingerprintEventKind kind, string[] fingerprints)
    {
        var e = new FingerprintEvent
        {
            EventId = "ev-" + Guid.NewGuid().ToString("N")[..8],
            Kind = kind,
            Source = "test",
            At = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
        };
        e.Fingerprints.AddRange(fingerprints);
        return e;
    }
}
