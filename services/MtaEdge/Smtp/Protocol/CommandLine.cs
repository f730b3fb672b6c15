namespace Gateway.MtaEdge.Smtp.Protocol;

/// <summary>What the client sent where a command was expected.</summary>
public readonly record struct CommandLine(CommandLineKind Kind, byte[] Bytes)
{
    public static readonly CommandLine TooLong = new(CommandLineKind.TooLong, Array.Empty<byte>());
    public static readonly CommandLine EndOfStream = new(CommandLineKind.EndOfStream, Array.Empty<byte>());
}
