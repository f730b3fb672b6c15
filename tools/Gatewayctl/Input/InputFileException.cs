namespace Gateway.Ctl.Input;

/// <summary>A file named on the command line cannot be used; the message names it and says why.</summary>
public sealed class InputFileException(string message) : Exception(message);
