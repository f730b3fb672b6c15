using Gateway.RetroRemediation.Cache;

namespace Gateway.RetroRemediation.Stores;

/// <summary>
/// The outcome of one store operation and a short explanation (no message content, no secrets).
/// <see cref="FlagsAdded"/> says which flags a Flag action set; <see cref="Place"/> answers a Locate.
/// </summary>
public readonly record struct StoreActionResult(
    StoreActionStatus Status,
    string Detail,
    StoreFlags FlagsAdded = StoreFlags.None,
    CopyPlace Place = CopyPlace.Unknown)
{
    public static StoreActionResult Done(string detail, StoreFlags flagsAdded = StoreFlags.None) =>
        new(StoreActionStatus.Done, detail, flagsAdded);

    public static StoreActionResult AlreadyDone(string detail) => new(StoreActionStatus.AlreadyDone, detail);

    public static StoreActionResult NotFound(string detail) => new(StoreActionStatus.NotFound, detail);

    public static StoreActionResult SkippedRead(string detail) => new(StoreActionStatus.SkippedRead, detail);

    public static StoreActionResult Refused(string detail) => new(StoreActionStatus.Refused, detail);

    public static StoreActionResult Failed(string detail) => new(StoreActionStatus.Failed, detail);

    public static StoreActionResult Located(CopyPlace place, string detail) =>
        new(place == CopyPlace.Unknown ? StoreActionStatus.Failed : StoreActionStatus.Done, detail, Place: place);
}
