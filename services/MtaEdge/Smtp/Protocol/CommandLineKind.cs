namespace Gateway.MtaEdge.Smtp.Protocol;

public enum CommandLineKind
{
    /// <summary>A line that ended with CRLF and fit the limit; its bytes exclude the CRLF.</summary>
    Line,

    /// <summary>A line over the limit, already discarded up to and including its CRLF.</summary>
    TooLong,

    /// <summary>The client closed its side (or the connection broke) before a whole line arrived.</summary>
    EndOfStream,
}
