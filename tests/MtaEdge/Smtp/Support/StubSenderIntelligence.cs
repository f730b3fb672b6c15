using System.Collections.Concurrent;
using System.Threading.Channels;
using Gateway.Contracts;
using Gateway.V1;

namespace Gateway.MtaEdge.Tests.Smtp.Support;

/// <summary>Sender intelligence double: returns a configurable decision and records every call.</summary>
public sealed class StubSenderIntelligence : ISenderIntelligence
{
    private readonly Channel<ReleaseConnectionRequest> _releases = Channel.CreateUnbounded<ReleaseConnectionRequest>();

    public ConnectDecision Decision { get; set; } = new()
    {
        Verdict = new Verdict { Action = V1.Action.Accept },
        LeaseId = "lease-1",
    };

    public Exception? Failure { get; set; }

    /// <summary>How long each connect check takes.</summary>
    public TimeSpan Delay { get; set; }

    public ConcurrentQueue<ConnectRequest> Checks { get; } = new();

    public async Task<ConnectDecision> CheckConnectAsync(ConnectRequest request, CancellationToken cancellationToken)
    {
        Checks.Enqueue(request);
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, cancellationToken);
        }

        return Failure is null ? Decision : throw Failure;
    }

    public Task ReleaseConnectionAsync(ReleaseConnectionRequest request, CancellationToken cancellationToken)
    {
        _releases.Writer.TryWrite(request);
        return Task.CompletedTask;
    }

    public Task<MailDecision> CheckMailAsync(MailRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(new MailDecision { Verdict = new Verdict { Action = V1.Action.Accept } });

    public Task<RcptDecision> CheckRcptAsync(RcptRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(new RcptDecision { Verdict = new Verdict { Action = V1.Action.Accept } });

    public Task<EndOfDataDecision> CheckEndOfDataAsync(EndOfDataRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(new EndOfDataDecision { Verdict = new Verdict { Action = V1.Action.Accept } });

    public Task<CloseSessionReply> CloseSessionAsync(CloseSessionRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(new CloseSessionReply());

    public Task<OutcomeReply> RecordOutcomeAsync(OutcomeReport request, CancellationToken cancellationToken) =>
        Task.FromResult(new OutcomeReply());

    public Task<SenderProfile> GetProfileAsync(SenderProfileRequest request, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<SenderProfile> ApproveSenderAsync(ApproveSenderRequest request, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<SenderProfile> BlockSenderAsync(BlockSenderRequest request, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<SenderProfile> ResetSenderAsync(ResetSenderRequest request, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    /// <summary>The next release call; fails the test if none comes within 30 seconds (a busy machine).</summary>
    public async Task<ReleaseConnectionRequest> NextReleaseAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await _releases.Reader.ReadAsync(timeout.Token);
    }

    public static ConnectDecision Refuse(V1.Action action, int code, string enhanced, string text) => new()
    {
        Verdict = new Verdict
        {
            Action = action, SmtpCode = code, EnhancedCode = enhanced, Text = text, Reason = "test",
        },
        LeaseId = "lease-refused",
    };
}
