namespace Gateway.Cluster.Tests.Support;

/// <summary>One message of a load run that the edge acknowledged with 250.</summary>
public sealed record SentMessage(string Tag, string[] Recipients, string Content, string QueueId, long AcceptedAtMs);
