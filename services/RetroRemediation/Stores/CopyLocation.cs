namespace Gateway.RetroRemediation.Stores;

/// <summary>The answer to "where is this copy now?" with a short explanation.</summary>
public readonly record struct CopyLocation(CopyPlace Place, string Detail);
