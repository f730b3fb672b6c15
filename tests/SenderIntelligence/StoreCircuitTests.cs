using Gateway.SenderIntelligence.Configuration;
using Gateway.SenderIntelligence.Store;
using Gateway.SenderIntelligence.Tests.Support;
using StackExchange.Redis;
using Xunit;
using Action = Gateway.V1.Action;

namespace Gateway.SenderIntelligence.Tests;

/// <summary>
/// During a store outage the checks must not each wait a store timeout: after one failure they skip the store for
/// StoreRetryInterval, then one check probes it, and an answer puts every check back on the store.
/// </summary>
public sealed class StoreCircuitTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task StoreFails_LaterChecksSkipItUntilTheRetryInterval_ThenOneProbeClosesTheCircuit()
    {
        var time = new ManualTimeProvider(Start);
        var store = new SwitchableStore { Down = true };
        var harness = new SenderHarness(
            new SenderIntelligenceOptions { StoreRetryInterval = TimeSpan.FromSeconds(1) }, store, time);

        for (var i = 0; i < 5; i++)
        {
            var decision = await harness.Service.CheckMailAsync(Requests.Mail("s" + i, "203.0.113.90"), default);
            Assert.Equal(Action.Accept, decision.Verdict.Action);
            Assert.Equal("fail-open", decision.Verdict.Reason);
        }

        Assert.Equal(1, store.Attempts);
        Assert.Single(harness.Log.Entries, e => e.EventName == "SenderStoreCircuitOpened");
        Assert.Single(harness.Log.Entries, e => e.EventName == "SenderStoreUnavailableFailOpen");

        // Still down at the first probe: one more call, and the circuit stays open for another interval.
        time.Advance(TimeSpan.FromSeconds(1));
        await harness.Service.CheckMailAsync(Requests.Mail("p1", "203.0.113.90"), default);
        await harness.Service.CheckMailAsync(Requests.Mail("p2", "203.0.113.90"), default);
        Assert.Equal(2, store.Attempts);

        store.Down = false;
        time.Advance(TimeSpan.FromMilliseconds(500));
        await harness.Service.CheckMailAsync(Requests.Mail("p3", "203.0.113.90"), default);
        Assert.Equal(2, store.Attempts);

        time.Advance(TimeSpan.FromMilliseconds(600));
        var probe = await harness.Service.CheckMailAsync(Requests.Mail("p4", "203.0.113.90"), default);
        var after = await harness.Service.CheckMailAsync(Requests.Mail("p5", "203.0.113.90"), default);

        Assert.NotEqual("fail-open", probe.Verdict.Reason);
        Assert.NotEqual("fail-open", after.Verdict.Reason);
        Assert.True(store.MailCalls >= 2, $"{store.MailCalls} mail scripts ran after the store came back");
        Assert.Single(harness.Log.Entries, e => e.EventName == "SenderStoreCircuitClosed");
    }

    [Fact]
    public async Task StoreFails_FailClosed_SkippedChecksDefer451WithoutWaiting()
    {
        var time = new ManualTimeProvider(Start);
        var store = new SwitchableStore { Down = true };
        var harness = new SenderHarness(
            new SenderIntelligenceOptions { FailOpen = false, StoreRetryInterval = TimeSpan.FromSeconds(5) },
            store, time);

        var first = await harness.Service.CheckMailAsync(Requests.Mail("a", "203.0.113.91"), default);
        var second = await harness.Service.CheckRcptAsync(Requests.Rcpt("a", "203.0.113.91", "x@example.com"),
            default);

        Assert.Equal(451, first.Verdict.SmtpCode);
        Assert.Equal(451, second.Verdict.SmtpCode);
        Assert.Equal("4.3.0", second.Verdict.EnhancedCode);
        Assert.Equal(1, store.Attempts);
        Assert.Equal(0, store.RcptCalls);
    }

    [Fact]
    public async Task RetryIntervalZero_EveryCheckTriesTheStore()
    {
        var store = new SwitchableStore { Down = true };
        var harness = new SenderHarness(
            new SenderIntelligenceOptions { StoreRetryInterval = TimeSpan.Zero }, store,
            new ManualTimeProvider(Start));

        for (var i = 0; i < 3; i++)
        {
            await harness.Service.CheckMailAsync(Requests.Mail("z" + i, "203.0.113.92"), default);
        }

        Assert.Equal(3, store.Attempts);
    }

    [Fact]
    public void Circuit_ProbeCancelled_NextCallerProbesInstead()
    {
        var time = new ManualTimeProvider(Start);
        var circuit = new StoreCircuit(TimeSpan.FromSeconds(1), time);

        Assert.True(circuit.Failed());
        Assert.False(circuit.TryEnter());
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(circuit.TryEnter());
        Assert.False(circuit.TryEnter()); // one probe at a time
        circuit.Abandoned();
        Assert.True(circuit.TryEnter());
        Assert.True(circuit.Succeeded());
        Assert.False(circuit.IsOpen);
        Assert.True(circuit.TryEnter());
    }

    /// <summary>A store that fails like an unreachable Redis while <see cref="Down"/> is set.</summary>
    private sealed class SwitchableStore : StubStore
    {
        private int _attempts;
        private int _mailCalls;
        private int _rcptCalls;

        public volatile bool Down;

        /// <summary>Calls made while down (each one a client waiting on a dead store).</summary>
        public int Attempts => Volatile.Read(ref _attempts);

        public int MailCalls => Volatile.Read(ref _mailCalls);

        public int RcptCalls => Volatile.Read(ref _rcptCalls);

        public override Task<SenderStanding> ReadStandingAsync(
            System.Net.IPAddress client, DateTimeOffset now, ReputationParameters? reputation) =>
            Down ? Task.FromException<SenderStanding>(Unreachable()) : base.ReadStandingAsync(client, now, reputation);

        public override Task<double> ReadDomainReputationAsync(
            string domain, DateTimeOffset now, ReputationParameters? reputation) =>
            Down ? Task.FromException<double>(Unreachable()) : base.ReadDomainReputationAsync(domain, now, reputation);

        public override Task<MailResult> MailAsync(MailArgs args)
        {
            Interlocked.Increment(ref _mailCalls);
            return Down ? Task.FromException<MailResult>(Unreachable()) : base.MailAsync(args);
        }

        public override Task<RcptResult> RcptAsync(RcptArgs args)
        {
            Interlocked.Increment(ref _rcptCalls);
            return Down ? Task.FromException<RcptResult>(Unreachable()) : base.RcptAsync(args);
        }

        private RedisConnectionException Unreachable()
        {
            Interlocked.Increment(ref _attempts);
            return new RedisConnectionException(ConnectionFailureType.UnableToConnect, "test: store down");
        }
    }
}
