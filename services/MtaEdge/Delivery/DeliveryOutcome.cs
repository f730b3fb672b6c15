namespace Gateway.MtaEdge.Delivery;

/// <summary>What one delivery attempt did for one recipient.</summary>
public enum DeliveryOutcome
{
    /// <summary>Accepted by the target (2xx); final.</summary>
    Delivered,

    /// <summary>Not now (4xx, connection failure, timeout, local I/O error); tried again later.</summary>
    TemporaryFailure,

    /// <summary>Refused for good (5xx); final.</summary>
    PermanentFailure,
}
