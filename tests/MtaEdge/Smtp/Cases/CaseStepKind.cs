namespace Gateway.MtaEdge.Tests.Smtp.Cases;

public enum CaseStepKind
{
    /// <summary>The client sends bytes (`>`, `>>`, `>>>`).</summary>
    Send,

    /// <summary>The next Count replies each start with one of the codes (`<`, `<<<`).</summary>
    Expect,

    /// <summary>The server closes the connection now (`<close`).</summary>
    ExpectClose,

    /// <summary>The server sends nothing for Milliseconds (`<quiet MS`).</summary>
    ExpectQuiet,
}
