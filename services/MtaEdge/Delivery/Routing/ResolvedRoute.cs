namespace Gateway.MtaEdge.Delivery.Routing;

/// <summary>
/// A route's targets, in order of preference; <paramref name="Remote"/> when it leaves our mailboxes.
/// </summary>
public sealed record ResolvedRoute(string Name, IReadOnlyList<IDeliveryTarget> Targets, bool Remote);
