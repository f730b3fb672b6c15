namespace Gateway.MtaEdge.Delivery.Transfer;

/// <summary>The server broke the protocol (malformed or over-long reply); the attempt is abandoned.</summary>
public sealed class TransferProtocolException(string message) : Exception(message);
