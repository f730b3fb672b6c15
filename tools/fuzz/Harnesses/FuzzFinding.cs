namespace Gateway.Fuzz.Harnesses;

/// <summary>A bug the harness detected without the code under test throwing it directly.</summary>
public sealed class FuzzFinding(string message, Exception? inner = null) : Exception(message, inner);
