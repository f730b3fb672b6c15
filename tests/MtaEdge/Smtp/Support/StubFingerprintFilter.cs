using System.Collections.Concurrent;
using Gateway.Contracts;
using Gateway.V1;

namespace Gateway.MtaEdge.Tests.Smtp.Support;

/// <summary>Fingerprint filter double: a configurable scan result (default: accept) and the requests seen.</summary>
public sealed class StubFingerprintFilter : IFingerprintFilter
{
    public Func<ScanRequest, ScanResult> Respond { get; set; } = _ => new ScanResult
    {
        Verdict = new Verdict { Action = V1.Action.Accept },
        Fingerprints = { "x1:00aa", "x2:00bb" },
    };

    public Exception? Failure { get; set; }

    public ConcurrentQueue<ScanRequest> Scans { get; } = new();

    public Task<ScanResult> ScanAsync(ScanRequest request, CancellationToken cancellationToken)
    {
        Scans.Enqueue(request);
        return Failure is null ? Task.FromResult(Respond(request)) : Task.FromException<ScanResult>(Failure);
    }

    public Task<ReportResult> ReportAsync(ReportRequest request, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the SMTP edge never reports");

    public Task<FingerprintResult> FingerprintAsync(FingerprintRequest request, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the SMTP edge never asks for fingerprints alone");

    public static ScanResult Verdict(V1.Action action, int code, string enhanced, string text) => new()
    {
        Verdict = new Verdict
        {
            Action = action, SmtpCode = code, EnhancedCode = enhanced, Text = text, Reason = "known-spam",
        },
    };
}
