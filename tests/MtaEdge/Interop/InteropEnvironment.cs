namespace Gateway.MtaEdge.Tests.Interop;

/// <summary>The variables tools/testenv/services.sh exports for the interop tests.</summary>
internal static class InteropEnvironment
{
    public const string Swaks = "GATEWAY_TEST_SWAKS";
    public const string SmtpSource = "GATEWAY_TEST_SMTP_SOURCE";
    public const string SmtpSink = "GATEWAY_TEST_SMTP_SINK";
    public const string Python = "GATEWAY_TEST_PYTHON";
}
