using Gateway.MtaEdge.Smtp.Message;

namespace Gateway.MtaEdge.Smtp.Protocol;

/// <summary>
/// A message as received, by DATA (<see cref="DataDecoder"/>) or BDAT (<see cref="ChunkDecoder"/>),
/// with what the limits found while it streamed in. Once a limit is hit the content is dropped.
/// </summary>
public interface IMessageDecoder
{
    /// <summary>The message content (CRLF line ends, no transfer framing).</summary>
    MessageBuffer Content { get; }

    /// <summary>A CR not followed by LF, or an LF not preceded by CR, occurred in the content.</summary>
    bool HasBareLineEnd { get; }

    /// <summary>The message passed the size limit; its content was not kept.</summary>
    bool IsTooLarge { get; }

    /// <summary>A line passed the line limit.</summary>
    bool HasLongLine { get; }

    /// <summary>Octets of message content seen, kept or not.</summary>
    long ContentBytes { get; }
}
