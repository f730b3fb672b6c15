namespace Gateway.Eval;

/// <summary>A detector's answer on one message: caught as spam, or only suspected (where it has that notion).</summary>
public sealed record Judgement(CorpusMessage Message, bool Caught, bool Suspect = false, string Detail = "");
