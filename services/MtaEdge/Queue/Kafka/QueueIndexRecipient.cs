namespace Gateway.MtaEdge.Queue.Kafka;

/// <summary>One recipient in the queue index: its state and the last reply seen for it.</summary>
public sealed record QueueIndexRecipient(string Address, RecipientStatus Status, string LastResult);
