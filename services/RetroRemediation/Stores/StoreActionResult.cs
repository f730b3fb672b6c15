namespace Gateway.RetroRemediation.Stores;

/// <summary>The outcome of one store operation and a short explanation (no message content).</summary>
public readonly record struct StoreActionResult(StoreActionStatus Status, string Detail)
{
    public static StoreActionResult Moved(string detail) => new(StoreActionStatus.Moved, detail);

    public static StoreActionResult AlreadyThere(string detail) => new(StoreActionStatus.AlreadyThere, detail);

    public static StoreActionResult NotFound(string detail) => new(StoreActionStatus.NotFound, detail);

    public static StoreActionResult Refused(string detail) => new(StoreActionStatus.Refused, detail);

    public static StoreActionResult Failed(string detail) => new(StoreActionStatus.Failed, detail);
}
