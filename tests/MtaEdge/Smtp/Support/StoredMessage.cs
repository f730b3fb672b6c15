using Gateway.MtaEdge.Queue;

namespace Gateway.MtaEdge.Tests.Smtp.Support;

/// <summary>One message as the spool double received it.</summary>
public sealed record StoredMessage(QueuedMessage Envelope, byte[] Content)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Content);
}
