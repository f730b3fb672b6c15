namespace Gateway.Ctl.Api;

/// <summary>A parsed answer of the admin API together with the JSON it came from (for --json).</summary>
public sealed record ApiAnswer<T>(T Message, string Json);
