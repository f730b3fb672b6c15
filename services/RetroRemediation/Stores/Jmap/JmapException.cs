namespace Gateway.RetroRemediation.Stores.Jmap;

/// <summary>A JMAP request failed; the message says what, in words fit for the audit.</summary>
internal sealed class JmapException(string message, Exception? inner = null) : Exception(message, inner);
