using System.Collections.Concurrent;
using System.Threading.Channels;
using Gateway.Contracts;
using Gateway.V1;

namespace Gateway.MtaEdge.Tests.Smtp.Support;

/// <summary>Sender intelligence double: returns a configurable decision and records every call.</summary>
public sealed class StubSenderIntelligence : ISenderIntelligence
{
    private static readonly Verdict Accept = new() { Action = V1.Action.Accept };

    private readonly Channel<CloseSessionRequest> _releases = Channel.CreateUnbounded<CloseSessionRequest>();

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

    /// <summary>The edge calls CloseSession now; a ReleaseConnection would be a regression.</summary>
    public Task ReleaseConnectionAsync(ReleaseConnectionRequest request, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the edge must call CloseSession");

    public Func<MailRequest, MailDecision> Mail { get; set; } = _ => new MailDecision { Verdict = Accept };

    public Func<RcptRequest, RcptDecision> Rcpt { get; set; } = _ => new RcptDecision { Verdict = Accept };

    public Func<EndOfDataRequest, EndOfDataDecision> EndOfData { get; set; } =
        _ => new EndOfDataDecision { Verdict = Accept };

    public ConcurrentQueue<MailRequest> Mails { get; } = new();

    public ConcurrentQueue<RcptRequest> Rcpts { get; } = new();

    public ConcurrentQueue<EndOfDataRequest> EndsOfData { get; } = new();

    public ConcurrentQueue<OutcomeReport> Outcomes { get; } = new();

    public Task<MailDecision> CheckMailAsync(MailRequest request, CancellationToken cancellationToken)
    {
        Mails.Enqueue(request);
        return Task.FromResult(Mail(request));
    }

    public Task<RcptDecision> CheckRcptAsync(RcptRequest request, CancellationToken cancellationToken)
    {
        Rcpts.Enqueue(request);
        return Task.FromResult(Rcpt(request));
    }

    public Task<EndOfDataDecision> CheckEndOfDataAsync(EndOfDataRequest request, CancellationToken cancellationToken)
    {
        EndsOfData.Enqueue(request);
        return Task.FromResult(EndOfData(request));
    }

    public Task<CloseSessionReply> CloseSessionAsync(CloseSessionRequest request, CancellationToken cancellationToken)
    {
        _releases.Writer.TryWrite(request);
        return Task.FromResult(new CloseSessionReply());
    }

    public Task<OutcomeReply> RecordOutcomeAsync(OutcomeReport request, CancellationToken cancellationToken)
    {
        Outcomes.Enqueue(request);
        return Task.FromResult(new OutcomeReply());
    }

    public Task<SenderProfile> GetProfileAsync(SenderProfileRequest request, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<SenderProfile> ApproveSenderAsync(ApproveSenderRequest request, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<SenderProfile> BlockSenderAsync(BlockSenderRequest request, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<SenderProfile> ResetSenderAsync(ResetSenderRequest request, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    /// <summary>The next CloseSession call; fails the test if none comes within 30 seconds (a busy machine).</summary>
    public async Task<CloseSessionRequest> NextReleaseAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await _releases.Reader.ReadAsync(timeout.Token);
    }

    public static Verdict Refusal(V1.Action action, int code, string enhanced, string text) => new()
    {
        Action = action, SmtpCode = code, EnhancedCode = enhanced, Text = text, Reason = "test",
    };

    public static ConnectDecision Refuse(V1.Action action, int code, string enhanced, string text) => new()
    {
        Verdict = new Verdict
        {
            Action = action, SmtpCode = code, EnhancedCode = enhanced, Text = text, Reason = "test",
        },
        LeaseId = "lease-refused",
    };
}
