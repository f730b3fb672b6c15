using Gateway.Common.Redis;
using Gateway.SenderIntelligence.Configuration;
using Gateway.SenderIntelligence.Policy;
using Gateway.SenderIntelligence.Store;
using Gateway.SenderIntelligence.Tests.Support;
using Gateway.V1;
using Google.Protobuf.WellKnownTypes;
using Xunit;
using Action = Gateway.V1.Action;

namespace Gateway.SenderIntelligence.Tests.Store;

/// <summary>
/// The Local and Global editions against a real Redis-protocol server. Each backend (embedded Garnet, redis-server)
/// runs the same scenarios from its own test class; every scenario works under a key prefix of its own.
/// </summary>
public abstract class StoreScenarios : IDisposable
{
    /// <summary>Probation with room for the scenario at hand; no tarpit, so decisions carry 0.</summary>
    private const string Roomy = "concurrent_connections: 50, connections_per_window: unlimited, " +
        "messages_per_connection: unlimited, recipients_per_message: 100, messages_per_hour: 1000, " +
        "bytes_per_hour: unlimited, tarpit: 0";

    private static readonly DateTimeOffset Start = new(2030, 1, 7, 10, 0, 0, TimeSpan.Zero);

    private readonly string _configuration;
    private readonly List<RedisConnection> _connections = new();

    protected StoreScenarios(string configuration)
    {
        _configuration = configuration;
    }

    public void Dispose()
    {
        foreach (var connection in _connections)
        {
            connection.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    protected async Task UnderLimitAcceptsWithExpiringLeaseAsync()
    {
        var (h, store, db) = Create(policy: Policies.Probation("concurrent_connections: 3"));

        var decision = await h.Service.CheckConnectAsync(Requests.Connect("203.0.113.10"), default);

        Assert.Equal(Action.Accept, decision.Verdict.Action);
        Assert.Equal("within-limits", decision.Verdict.Reason);
        Assert.Equal(SenderTier.Probation, decision.Tier);
        Assert.Matches("^" + System.Text.RegularExpressions.Regex.Escape(store.Owner.RunPrefix) + "[0-9a-f]{32}$",
            decision.LeaseId);
        Assert.InRange(decision.LeaseId.Length, 1, Checks.ConnectCheck.MaxLeaseIdLength);
        var key = store.LeaseKey(System.Net.IPAddress.Parse("203.0.113.10"));
        Assert.Equal(1, await db.SortedSetLengthAsync(key));
        Assert.NotNull(await db.SortedSetScoreAsync(key, decision.LeaseId));
        var ttl = await db.KeyTimeToLiveAsync(key);
        Assert.NotNull(ttl);
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(30));
    }

    protected async Task ConcurrencyLimitTempfails421Async()
    {
        var (h, _, _) = Create(policy: Policies.Probation("concurrent_connections: 3"));

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(Action.Accept, (await h.Service.CheckConnectAsync(Requests.Connect("203.0.113.11"),
                default)).Verdict.Action);
        }

        var refused = await h.Service.CheckConnectAsync(Requests.Connect("203.0.113.11"), default);

        Assert.Equal(Action.Tempfail, refused.Verdict.Action);
        Assert.Equal(421, refused.Verdict.SmtpCode);
        Assert.Equal("4.7.0", refused.Verdict.EnhancedCode);
        Assert.Equal("Too many concurrent connections from 203.0.113.11", refused.Verdict.Text);
        Assert.Equal("concurrency", refused.Verdict.Reason);
        Assert.Empty(refused.LeaseId);
        Assert.Equal(1, h.Metrics.DecisionCount("connect", Action.Tempfail, "concurrency", SenderTier.Probation));
        Assert.True(h.Log.Has("SenderConcurrencyLimit"));
    }

    protected async Task RestartReleasesTheKilledRunsLeasesOnlyAsync()
    {
        var prefix = $"test:{Guid.NewGuid():N}:";
        var policy = Policies.Probation("concurrent_connections: 2");
        var (killed, _, _) = Create(policy: policy, prefix: prefix, owner: new LeaseOwner("edge-a"));
        var (other, _, _) = Create(policy: policy, prefix: prefix, owner: new LeaseOwner("edge-b"));
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(Action.Accept, (await killed.Service.CheckConnectAsync(Requests.Connect("203.0.113.40"),
                default)).Verdict.Action);
        }

        var othersLease = await other.Service.CheckConnectAsync(Requests.Connect("203.0.113.40"), default);
        Assert.Equal(Action.Tempfail, othersLease.Verdict.Action);
        Assert.Equal(Action.Accept, (await other.Service.CheckConnectAsync(Requests.Connect("203.0.113.41"),
            default)).Verdict.Action);

        // The same node starts again (a new run) and sweeps: only edge-a's earlier leases go.
        var (restarted, store, db) = Create(policy: policy, prefix: prefix, owner: new LeaseOwner("edge-a"));
        Assert.Equal(2, await store.ReleaseStaleLeasesAsync(default));
        var first = await restarted.Service.CheckConnectAsync(Requests.Connect("203.0.113.40"), default);
        var second = await restarted.Service.CheckConnectAsync(Requests.Connect("203.0.113.40"), default);
        Assert.Equal(0, await store.ReleaseStaleLeasesAsync(default));
        var third = await restarted.Service.CheckConnectAsync(Requests.Connect("203.0.113.40"), default);

        Assert.Equal((Action.Accept, Action.Accept), (first.Verdict.Action, second.Verdict.Action));
        Assert.StartsWith(store.Owner.RunPrefix, first.LeaseId, StringComparison.Ordinal);
        Assert.Equal(421, third.Verdict.SmtpCode);
        Assert.Equal(1, await db.SortedSetLengthAsync(store.LeaseKey(System.Net.IPAddress.Parse("203.0.113.41"))));
    }

    protected async Task CloseAndReleaseFreeASlotAsync()
    {
        var (h, _, _) = Create(policy: Policies.Probation("concurrent_connections: 1"));
        var first = await h.Service.CheckConnectAsync(Requests.Connect("2001:db8::30", "s1"), default);
        var second = await h.Service.CheckConnectAsync(Requests.Connect("2001:db8::30"), default);
        Assert.Equal(Action.Accept, first.Verdict.Action);
        Assert.Equal(Action.Tempfail, second.Verdict.Action);

        await h.Service.CloseSessionAsync(Requests.Close("s1", "2001:db8::30", first.LeaseId), default);
        var third = await h.Service.CheckConnectAsync(Requests.Connect("2001:db8::30"), default);
        await h.Service.ReleaseConnectionAsync(Requests.Release("2001:db8::30", third.LeaseId), default);
        var fourth = await h.Service.CheckConnectAsync(Requests.Connect("2001:db8::30"), default);

        Assert.Equal(Action.Accept, third.Verdict.Action);
        Assert.Equal(Action.Accept, fourth.Verdict.Action);
        Assert.NotEqual(first.LeaseId, third.LeaseId);
        Assert.True(h.Log.Has("SenderLeaseReleased"));
    }

    protected async Task ExpiredLeasesAreDroppedAsync()
    {
        var clock = new ManualTimeProvider(Start);
        var (h, store, db) = Create(policy: Policies.Probation("concurrent_connections: 2"), time: clock);

        // Two sessions whose edge crashed: never released.
        await h.Service.CheckConnectAsync(Requests.Connect("203.0.113.40"), default);
        await h.Service.CheckConnectAsync(Requests.Connect("203.0.113.40"), default);
        clock.Advance(TimeSpan.FromMinutes(29));
        var stillHeld = await h.Service.CheckConnectAsync(Requests.Connect("203.0.113.40"), default);
        Assert.Equal(Action.Tempfail, stillHeld.Verdict.Action);

        clock.Advance(TimeSpan.FromMinutes(2));
        var afterExpiry = await h.Service.CheckConnectAsync(Requests.Connect("203.0.113.40"), default);

        Assert.Equal(Action.Accept, afterExpiry.Verdict.Action);
        var members = await db.SortedSetRangeByRankAsync(store.LeaseKey(System.Net.IPAddress.Parse("203.0.113.40")));
        Assert.Equal([afterExpiry.LeaseId], members.Select(m => m.ToString()));
    }

    protected async Task MappedAndPlainIPv4ShareOneCountAsync()
    {
        var (h, _, _) = Create(policy: Policies.Probation("concurrent_connections: 1"));

        var plain = await h.Service.CheckConnectAsync(Requests.Connect("203.0.113.50"), default);
        var mapped = await h.Service.CheckConnectAsync(Requests.Connect("::ffff:203.0.113.50"), default);

        Assert.Equal(Action.Accept, plain.Verdict.Action);
        Assert.Equal(Action.Tempfail, mapped.Verdict.Action);
        Assert.Equal("Too many concurrent connections from 203.0.113.50", mapped.Verdict.Text);
    }

    protected async Task RacingEdgesNeverExceedLimitAsync()
    {
        // Four "edges", each with its own connection, race for one address: the script must be atomic.
        const int Limit = 5;
        const int Edges = 4;
        const int AttemptsPerEdge = 15;
        var prefix = $"test:{Guid.NewGuid():N}:";
        // A generous timeout and no fail-open: a slow machine must not turn this into a test of timeouts.
        var options = new SenderIntelligenceOptions { FailOpen = false, StoreTimeout = TimeSpan.FromSeconds(30) };
        var policy = Policies.Probation($"concurrent_connections: {Limit}, connections_per_window: unlimited");
        var edges = Enumerable.Range(0, Edges).Select(_ => Create(options, policy, prefix: prefix).Harness).ToList();

        // Edges connect long before clients arrive: open every connection first, so the race is about the
        // script and not about four multiplexers connecting at once.
        foreach (var connection in _connections)
        {
            await connection.Database.PingAsync();
        }

        var decisions = await Task.WhenAll(edges.SelectMany(edge => Enumerable.Range(0, AttemptsPerEdge)
            .Select(_ => Task.Run(() => edge.Service.CheckConnectAsync(Requests.Connect("203.0.113.60"), default)))));

        var outcomes = decisions.GroupBy(d => d.Verdict.Reason).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key}={g.Count()}");
        Assert.Equal(
            $"concurrency={(Edges * AttemptsPerEdge) - Limit},within-limits={Limit}", string.Join(",", outcomes));
        Assert.Equal(Limit, decisions.Select(d => d.LeaseId).Where(id => id.Length > 0).Distinct().Count());
    }

    protected async Task AllowListedClientTakesNoLeaseAsync()
    {
        var (h, store, db) = Create(new SenderIntelligenceOptions { AllowList = ["203.0.113.0/28"] });

        var decision = await h.Service.CheckConnectAsync(Requests.Connect("203.0.113.7"), default);

        Assert.True(decision.AllowListed);
        Assert.False(await db.KeyExistsAsync(store.LeaseKey(System.Net.IPAddress.Parse("203.0.113.7"))));
    }

    protected async Task ConnectionRateSlidesOverTheWindowAsync()
    {
        var clock = new ManualTimeProvider(Start);
        var (h, _, _) = Create(
            policy: Policies.Probation(
                "concurrent_connections: unlimited, connections_per_window: 3, connection_window: 1m"),
            time: clock);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(Action.Accept, (await Connect(h, "203.0.113.12")).Verdict.Action);
        }

        var fourth = await Connect(h, "203.0.113.12");
        Assert.Equal(Action.Tempfail, fourth.Verdict.Action);
        Assert.Equal(421, fourth.Verdict.SmtpCode);
        Assert.Equal("4.7.0", fourth.Verdict.EnhancedCode);
        Assert.Equal("connection-rate", fourth.Verdict.Reason);

        // 90 s later half of the previous minute still counts (1.5 of 3): one more fits, the next does not.
        clock.Advance(TimeSpan.FromSeconds(90));
        Assert.Equal(Action.Accept, (await Connect(h, "203.0.113.12")).Verdict.Action);
        Assert.Equal("connection-rate", (await Connect(h, "203.0.113.12")).Verdict.Reason);

        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(Action.Accept, (await Connect(h, "203.0.113.12")).Verdict.Action);
    }

    protected async Task MessagesPerConnectionDefers451Async()
    {
        var (h, _, _) = Create(policy: Policies.Probation(Roomy.Replace(
            "messages_per_connection: unlimited", "messages_per_connection: 2", StringComparison.Ordinal)));
        var session = await OpenAsync(h, "203.0.113.13");

        await SendAsync(h, "203.0.113.13", session);
        await SendAsync(h, "203.0.113.13", session);
        var third = await h.Service.CheckMailAsync(Requests.Mail(session, "203.0.113.13"), default);
        var other = await h.Service.CheckMailAsync(Requests.Mail(await OpenAsync(h, "203.0.113.13"), "203.0.113.13"),
            default);

        AssertVerdict(third.Verdict, Action.Tempfail, 451, "4.7.1", "messages-per-connection");
        Assert.Equal(SenderTier.Probation, third.Tier);
        Assert.Equal(Action.Accept, other.Verdict.Action);
        Assert.Equal(2, third.Limits.MessagesPerConnection);
    }

    protected async Task MessagesPerHourDefers451Async()
    {
        var clock = new ManualTimeProvider(Start);
        var (h, _, _) = Create(
            policy: Policies.Probation(Roomy.Replace("messages_per_hour: 1000", "messages_per_hour: 3",
                StringComparison.Ordinal)),
            time: clock);

        for (var i = 0; i < 3; i++)
        {
            await SendAsync(h, "203.0.113.14", await OpenAsync(h, "203.0.113.14"));
        }

        var fourth = await h.Service.CheckMailAsync(Requests.Mail(await OpenAsync(h, "203.0.113.14"), "203.0.113.14"),
            default);
        clock.Advance(TimeSpan.FromHours(2));
        var later = await h.Service.CheckMailAsync(Requests.Mail(await OpenAsync(h, "203.0.113.14"), "203.0.113.14"),
            default);

        AssertVerdict(fourth.Verdict, Action.Tempfail, 451, "4.7.1", "messages-per-hour");
        Assert.Equal(Action.Accept, later.Verdict.Action);
        Assert.True(h.Log.Has("SenderLimitReached"));
    }

    protected async Task BytesPerHourDefersAtMailAndAtEndOfDataAsync()
    {
        var (h, _, _) = Create(policy: Policies.Probation(
            Roomy.Replace("bytes_per_hour: unlimited", "bytes_per_hour: 10KB", StringComparison.Ordinal)));
        var session = await OpenAsync(h, "203.0.113.15");

        var declaredTooBig = await h.Service.CheckMailAsync(Requests.Mail(session, "203.0.113.15", size: 20_000),
            default);
        var first = await SendAsync(h, "203.0.113.15", session, size: 8000);
        var mail = await h.Service.CheckMailAsync(Requests.Mail(session, "203.0.113.15"), default);
        var overAtData = await h.Service.CheckEndOfDataAsync(Requests.EndOfData(session, "203.0.113.15", size: 4000),
            default);
        var spamStillCounted = await h.Service.CheckEndOfDataAsync(
            Requests.EndOfData(session, "203.0.113.15", size: 4000, spam: true), default);

        AssertVerdict(declaredTooBig.Verdict, Action.Tempfail, 451, "4.7.1", "bytes-per-hour");
        Assert.Equal(Action.Accept, first.Verdict.Action);
        Assert.Equal(Action.Accept, mail.Verdict.Action);
        AssertVerdict(overAtData.Verdict, Action.Tempfail, 451, "4.7.1", "bytes-per-hour");
        Assert.Equal(Action.Accept, spamStillCounted.Verdict.Action);
        Assert.Equal(10 * 1024, mail.Limits.BytesPerHour);
    }

    protected async Task RecipientsPerMessageDefers451UntilNextTransactionAsync()
    {
        var (h, _, _) = Create(policy: Policies.Probation(
            Roomy.Replace("recipients_per_message: 100", "recipients_per_message: 2", StringComparison.Ordinal)));
        var session = await OpenAsync(h, "203.0.113.16");
        await h.Service.CheckMailAsync(Requests.Mail(session, "203.0.113.16"), default);

        var a = await h.Service.CheckRcptAsync(Requests.Rcpt(session, "203.0.113.16", "a@example.test"), default);
        var unknown = await h.Service.CheckRcptAsync(Requests.Rcpt(session, "203.0.113.16", "x@example.test",
            unknown: true), default);
        var b = await h.Service.CheckRcptAsync(Requests.Rcpt(session, "203.0.113.16", "b@example.test"), default);
        var c = await h.Service.CheckRcptAsync(Requests.Rcpt(session, "203.0.113.16", "c@example.test"), default);
        await h.Service.CheckMailAsync(Requests.Mail(session, "203.0.113.16"), default);
        var next = await h.Service.CheckRcptAsync(Requests.Rcpt(session, "203.0.113.16", "c@example.test"), default);

        Assert.Equal(Action.Accept, a.Verdict.Action);
        Assert.Equal("unknown-recipient", unknown.Verdict.Reason);
        Assert.Equal(Action.Accept, b.Verdict.Action);
        AssertVerdict(c.Verdict, Action.Tempfail, 451, "4.7.1", "recipients-per-message");
        Assert.Equal(Action.Accept, next.Verdict.Action);
    }

    protected async Task DirectoryHarvestDemotesAndDefersAsync()
    {
        var options = new SenderIntelligenceOptions
        {
            Dynamic = new DynamicQosOptions { HarvestMinUnknown = 5, HarvestRatio = 0.5 },
        };
        var (h, _, _) = Create(options, Policies.Probation(Roomy));
        var session = await OpenAsync(h, "203.0.113.17");
        await h.Service.CheckMailAsync(Requests.Mail(session, "203.0.113.17"), default);
        await h.Service.CheckRcptAsync(Requests.Rcpt(session, "203.0.113.17", "real@example.test"), default);

        var answers = new List<RcptDecision>();
        for (var i = 0; i < 6; i++)
        {
            answers.Add(await h.Service.CheckRcptAsync(
                Requests.Rcpt(session, "203.0.113.17", $"guess{i}@example.test", unknown: true), default));
        }

        Assert.All(answers.Take(4), a => Assert.Equal("unknown-recipient", a.Verdict.Reason));
        AssertVerdict(answers[4].Verdict, Action.Tempfail, 451, "4.7.1", "directory-harvest");
        // Demoted from probation to blocked: the rest of the session is deferred, the next connection refused.
        AssertVerdict(answers[5].Verdict, Action.Tempfail, 451, "4.7.1", "tier-blocked");
        var reconnect = await h.Service.CheckConnectAsync(Requests.Connect("203.0.113.17"), default);
        AssertVerdict(reconnect.Verdict, Action.Reject, 554, "5.7.1", "tier-blocked");
        var profile = await Show(h, "203.0.113.17");
        var change = Assert.Single(profile.History);
        Assert.Equal((SenderTier.Probation, SenderTier.Blocked, "dynamic"), (change.From, change.To, change.By));
        Assert.StartsWith("directory harvest: 5 unknown of 6 recipients in 10m", change.Reason,
            StringComparison.Ordinal);
        Assert.Equal(5, profile.Statistics.UnknownRecipients);
        Assert.Equal(1, h.Metrics.TransitionCount(SenderTier.Probation, SenderTier.Blocked, "directory-harvest"));
    }

    protected async Task EndOfDataCountsTheProfileAndReputationAsync()
    {
        var clock = new ManualTimeProvider(Start);
        var (h, _, _) = Create(policy: Policies.Probation(Roomy), time: clock);
        var session = await OpenAsync(h, "203.0.113.18");

        await SendAsync(h, "203.0.113.18", session, size: 1500, recipients: 2);
        var spam = await SendAsync(h, "203.0.113.18", session, size: 500, spam: true);
        var profile = await Show(h, "203.0.113.18");
        var domain = await Show(h, "example.org");

        Assert.Equal("counted", spam.Verdict.Reason);
        var stats = profile.Statistics;
        Assert.Equal((2L, 3L, 1L, 2000L, 1L), (stats.Messages, stats.Recipients, stats.SpamMessages, stats.Bytes,
            stats.Connections));
        Assert.Equal(0.5, stats.SpamRatio);
        Assert.Equal(2, stats.MessagesThisHour);
        Assert.Equal(Start, stats.FirstSeen.ToDateTimeOffset());
        // Delivered +1, convicted -10: the address, its /24 and the sender domain all carry it.
        Assert.Equal(-9, profile.Reputation, 6);
        Assert.Equal(-9, profile.NetworkReputation, 6);
        Assert.Equal(-13.5, profile.CombinedReputation, 6);
        Assert.Equal(-9, domain.Reputation, 6);
        Assert.Equal(2, domain.Statistics.Messages);
        Assert.Equal("domain", domain.Kind);
    }

    protected async Task CleanHistoryPromotesGraduallyAndNeverPastTheCeilingAsync()
    {
        var clock = new ManualTimeProvider(Start);
        var options = new SenderIntelligenceOptions
        {
            Dynamic = new DynamicQosOptions { MinTimeInTier = TimeSpan.FromDays(1), MinCleanMessages = 5,
                RampMessages = 10 },
        };
        var policy = Policies.Parse("""
            tiers:
              probation:
                { concurrent_connections: 2, connections_per_window: unlimited, messages_per_connection: unlimited,
                  messages_per_hour: 100, tarpit: 1s }
              standard:
                { concurrent_connections: 12, connections_per_window: unlimited, messages_per_connection: unlimited,
                  messages_per_hour: 1100, tarpit: 0 }
              trusted: { concurrent_connections: 50, messages_per_hour: unlimited }
            """);
        var (h, _, _) = Create(options, policy, clock);
        const string Ip = "203.0.113.19";

        // A fast run of good messages on day one does not promote: time in the tier is required too.
        var session = await OpenAsync(h, Ip);
        for (var i = 0; i < 40; i++)
        {
            Assert.Equal(SenderTier.Probation, (await SendAsync(h, Ip, session)).Tier);
        }

        clock.Advance(TimeSpan.FromHours(25));
        var promoted = await SendAsync(h, Ip, await OpenAsync(h, Ip));
        Assert.Equal(SenderTier.Standard, promoted.Tier);

        // Limits ramp from probation's to standard's over 10 clean messages, never beyond standard's.
        var standard = policy.LimitsOf(SenderTier.Standard);
        var seen = new List<long>();
        for (var i = 0; i < 14; i++)
        {
            var decision = await h.Service.CheckConnectAsync(Requests.Connect(Ip, $"ramp-{i}"), default);
            Assert.Equal(SenderTier.Standard, decision.Tier);
            Assert.InRange(decision.Limits.MessagesPerHour, 100, standard.MessagesPerHour);
            Assert.InRange(decision.Limits.ConcurrentConnections, 2, standard.ConcurrentConnections);
            Assert.InRange(decision.TarpitDelayMs, 0, 1000);
            seen.Add(decision.Limits.MessagesPerHour);
            await SendAsync(h, Ip, $"ramp-{i}");
            await h.Service.CloseSessionAsync(Requests.Close($"ramp-{i}", Ip, decision.LeaseId), default);
        }

        Assert.Equal(100, seen[0]);
        Assert.Equal(seen.OrderBy(v => v), seen);
        Assert.Equal(1100, seen[^1]);

        // Days of clean mail later: still standard, the ceiling of automatic promotion.
        for (var day = 0; day < 4; day++)
        {
            clock.Advance(TimeSpan.FromDays(1));
            for (var i = 0; i < 6; i++)
            {
                Assert.Equal(SenderTier.Standard, (await SendAsync(h, Ip, await OpenAsync(h, Ip))).Tier);
            }
        }

        var profile = await Show(h, Ip);
        var change = Assert.Single(profile.History);
        Assert.Equal((SenderTier.Probation, SenderTier.Standard), (change.From, change.To));
        Assert.StartsWith("clean history: ", change.Reason, StringComparison.Ordinal);
        Assert.Equal(SenderTier.Standard, profile.DynamicTier);
        Assert.Equal(1, h.Metrics.TransitionCount(SenderTier.Probation, SenderTier.Standard, "promotion"));
    }

    protected async Task SpamRatioDemotesAndCoolOffEndsTheBlockAsync()
    {
        var clock = new ManualTimeProvider(Start);
        var options = new SenderIntelligenceOptions
        {
            Dynamic = new DynamicQosOptions
            {
                DemoteSpamMinMessages = 5, DemoteSpamRatio = 0.3, BlockedCoolOff = TimeSpan.FromHours(1),
            },
        };
        var (h, _, _) = Create(options, Policies.Probation(Roomy), clock);
        const string Ip = "203.0.113.20";
        var session = await OpenAsync(h, Ip);

        foreach (var spam in new[] { false, true, false, false })
        {
            Assert.Equal(SenderTier.Probation, (await SendAsync(h, Ip, session, spam: spam)).Tier);
        }

        var fifth = await SendAsync(h, Ip, session, spam: true);
        var refused = await h.Service.CheckConnectAsync(Requests.Connect(Ip), default);
        clock.Advance(TimeSpan.FromMinutes(61));
        var back = await h.Service.CheckConnectAsync(Requests.Connect(Ip), default);

        Assert.Equal(SenderTier.Blocked, fifth.Tier);
        AssertVerdict(refused.Verdict, Action.Reject, 554, "5.7.1", "tier-blocked");
        Assert.Equal(Action.Accept, back.Verdict.Action);
        Assert.Equal(SenderTier.Probation, back.Tier);
        var history = (await Show(h, Ip)).History;
        Assert.Equal(2, history.Count);
        Assert.Equal((SenderTier.Blocked, SenderTier.Probation), (history[0].From, history[0].To));
        Assert.StartsWith("automatic block ended", history[0].Reason, StringComparison.Ordinal);
        Assert.Equal((SenderTier.Probation, SenderTier.Blocked), (history[1].From, history[1].To));
        Assert.Equal("spam ratio 0.4 over 5 messages (limit 0.3)", history[1].Reason);
    }

    protected async Task VolumeSpikeAgainstOwnAverageDemotesAsync()
    {
        var clock = new ManualTimeProvider(Start);
        var options = new SenderIntelligenceOptions
        {
            Dynamic = new DynamicQosOptions
            {
                MinTimeInTier = TimeSpan.FromDays(1), MinCleanMessages = 20, SpikeFactor = 5, SpikeMinMessages = 20,
                SpikeMinHistory = TimeSpan.FromDays(1), HourlyAverageWeight = 0.5,
            },
        };
        var (h, _, _) = Create(options, Policies.Parse(
            $"tiers:\n  probation: {{ {Roomy} }}\n  standard: {{ {Roomy} }}\n"), clock);
        const string Ip = "203.0.113.21";

        // A steady two messages an hour for 30 hours: promoted after a day, average about 2.
        for (var hour = 0; hour < 30; hour++)
        {
            var session = await OpenAsync(h, Ip);
            await SendAsync(h, Ip, session);
            await SendAsync(h, Ip, session);
            clock.Advance(TimeSpan.FromHours(1));
        }

        Assert.Equal(SenderTier.Standard, (await Show(h, Ip)).DynamicTier);
        var burst = await OpenAsync(h, Ip);
        var tiers = new List<SenderTier>();
        for (var i = 0; i < 21; i++)
        {
            tiers.Add((await SendAsync(h, Ip, burst)).Tier);
        }

        Assert.Equal(SenderTier.Standard, tiers[18]);
        Assert.Equal(SenderTier.Probation, tiers[19]);
        var change = (await Show(h, Ip)).History[0];
        Assert.Equal((SenderTier.Standard, SenderTier.Probation), (change.From, change.To));
        Assert.StartsWith("20 messages this hour against an hourly average of 2", change.Reason,
            StringComparison.Ordinal);
        Assert.Equal(1, h.Metrics.TransitionCount(SenderTier.Standard, SenderTier.Probation, "volume-spike"));
    }

    protected async Task ApprovalUntilADateEndsByItselfAsync()
    {
        var clock = new ManualTimeProvider(Start);
        var (h, _, _) = Create(time: clock);
        const string Ip = "203.0.113.22";

        var approved = await h.Service.ApproveSenderAsync(
            new ApproveSenderRequest
            {
                Subject = Ip, Until = Timestamp.FromDateTimeOffset(Start.AddHours(1)), Reason = "partner relay",
                Actor = "tester",
            },
            default);
        var during = await h.Service.CheckConnectAsync(Requests.Connect(Ip), default);
        clock.Advance(TimeSpan.FromHours(2));
        await h.Refresher.RefreshAsync(default);
        var after = await h.Service.CheckConnectAsync(Requests.Connect(Ip), default);
        var profile = await Show(h, Ip);

        Assert.Equal((SenderTier.Trusted, "admin"), (approved.Tier, approved.TierSource));
        Assert.Equal("partner relay", approved.Override.Reason);
        Assert.Equal(Start.AddHours(1), approved.Override.Until.ToDateTimeOffset());
        Assert.Equal(SenderTier.Trusted, during.Tier);
        Assert.Equal(50, during.Limits.ConcurrentConnections);
        Assert.Equal(SenderTier.Probation, after.Tier);
        Assert.Null(profile.Override);
        Assert.Equal(2, profile.History.Count);
        Assert.Equal((SenderTier.Trusted, SenderTier.Probation, "dynamic"),
            (profile.History[0].From, profile.History[0].To, profile.History[0].By));
        Assert.StartsWith("approval ended at", profile.History[0].Reason, StringComparison.Ordinal);
        Assert.Equal((SenderTier.Probation, SenderTier.Trusted, "admin:tester"),
            (profile.History[1].From, profile.History[1].To, profile.History[1].By));
        Assert.Equal("partner relay (until 2030-01-07 11:00:00Z)", profile.History[1].Reason);
        Assert.Equal(1, h.Metrics.TransitionCount(SenderTier.Trusted, SenderTier.Probation, "expired"));
    }

    protected async Task TooWideNetworkIsRefusedForBlockAndApprovalAsync()
    {
        var (h, _, _) = Create(prefix: $"test:{Guid.NewGuid():N}:");

        foreach (var subject in new[] { "0.0.0.0/0", "::/0", "10.0.0.0/7", "2001:db8::/31" })
        {
            var block = await Assert.ThrowsAsync<ArgumentException>(() => h.Service.BlockSenderAsync(
                new BlockSenderRequest { Subject = subject, Actor = "tester" }, default));
            Assert.Contains("too wide", block.Message, StringComparison.Ordinal);
            await Assert.ThrowsAsync<ArgumentException>(() => h.Service.ApproveSenderAsync(
                new ApproveSenderRequest { Subject = subject, Actor = "tester" }, default));
        }

        // Loopback is still let in after all the refused attempts; a /8 and an IPv6 /32 are accepted.
        Assert.Equal(Action.Accept, (await h.Service.CheckConnectAsync(Requests.Connect("127.0.0.1"), default))
            .Verdict.Action);
        Assert.Equal(SenderTier.Blocked, (await h.Service.BlockSenderAsync(
            new BlockSenderRequest { Subject = "10.0.0.0/8", Actor = "tester" }, default)).Tier);
        Assert.Equal(SenderTier.Blocked, (await h.Service.BlockSenderAsync(
            new BlockSenderRequest { Subject = "2001:db8::/32", Actor = "tester" }, default)).Tier);
    }

    protected async Task BlockedNetworkIsRefusedOnEveryNodeUntilResetAsync()
    {
        var prefix = $"test:{Guid.NewGuid():N}:";
        var (here, _, _) = Create(prefix: prefix);
        var (there, _, _) = Create(prefix: prefix);

        var blocked = await here.Service.BlockSenderAsync(
            new BlockSenderRequest { Subject = "198.51.100.0/24", Reason = "snowshoe", Actor = "tester" }, default);
        var refusedHere = await here.Service.CheckConnectAsync(Requests.Connect("198.51.100.7"), default);
        var beforeRefresh = await there.Service.CheckConnectAsync(Requests.Connect("198.51.100.8"), default);
        await there.Refresher.RefreshAsync(default);
        var refusedThere = await there.Service.CheckConnectAsync(Requests.Connect("198.51.100.8"), default);
        var outside = await there.Service.CheckConnectAsync(Requests.Connect("198.51.101.8"), default);
        var addressView = await here.Service.GetProfileAsync(new SenderProfileRequest { Subject = "198.51.100.9" },
            default);

        await here.Service.ResetSenderAsync(new ResetSenderRequest { Subject = "198.51.100.0/24", Actor = "tester" },
            default);
        await there.Refresher.RefreshAsync(default);
        var afterReset = await there.Service.CheckConnectAsync(Requests.Connect("198.51.100.8"), default);
        var network = await here.Service.GetProfileAsync(new SenderProfileRequest { Subject = "198.51.100.0/24" },
            default);

        Assert.Equal(("network", SenderTier.Blocked), (blocked.Kind, blocked.Tier));
        AssertVerdict(refusedHere.Verdict, Action.Reject, 554, "5.7.1", "tier-blocked");
        Assert.Equal(Action.Accept, beforeRefresh.Verdict.Action);
        AssertVerdict(refusedThere.Verdict, Action.Reject, 554, "5.7.1", "tier-blocked");
        Assert.Equal(Action.Accept, outside.Verdict.Action);
        Assert.Equal(("admin", "198.51.100.0/24"), (addressView.TierSource, addressView.Override.Subject));
        Assert.Equal(Action.Accept, afterReset.Verdict.Action);
        Assert.Equal(SenderTier.Unspecified, network.Tier);
        Assert.Equal(2, network.History.Count);
        Assert.Equal((SenderTier.Blocked, SenderTier.Unspecified, "admin:tester"),
            (network.History[0].From, network.History[0].To, network.History[0].By));
        Assert.Equal("snowshoe", network.History[1].Reason);
    }

    protected async Task BlockedDomainIsRefusedAtMailAsync()
    {
        var (h, _, _) = Create(policy: Policies.Probation(Roomy));
        await h.Service.BlockSenderAsync(new BlockSenderRequest { Subject = "Spam.Example", Actor = "tester" },
            default);
        var session = await OpenAsync(h, "203.0.113.23");

        var blocked = await h.Service.CheckMailAsync(Requests.Mail(session, "203.0.113.23", "a@sub.spam.example"),
            default);
        var other = await h.Service.CheckMailAsync(Requests.Mail(session, "203.0.113.23", "a@ham.example"), default);
        var nullSender = await h.Service.CheckMailAsync(Requests.Mail(session, "203.0.113.23", ""), default);

        AssertVerdict(blocked.Verdict, Action.Reject, 550, "5.7.1", "tier-blocked");
        Assert.Equal("Sender sub.spam.example is blocked by local policy", blocked.Verdict.Text);
        Assert.Equal(Action.Accept, other.Verdict.Action);
        Assert.Equal(Action.Accept, nullSender.Verdict.Action);
    }

    protected async Task PolicyRulesOnHeloDomainReputationAndAgeAsync()
    {
        var clock = new ManualTimeProvider(Start);
        var policy = Policies.Parse($$"""
            tiers:
              probation: { {{Roomy}} }
            rules:
              - name: partner-helo
                match: { helo: ["*.partner.example"] }
                tier: trusted
              - name: bulk
                match: { sender_domain: ["*.bulk.example"] }
                limits: { messages_per_hour: 1 }
              - name: bad-reputation
                match: { reputation: { max: -20 } }
                tier: blocked
              - name: veteran
                match: { first_seen: { older_than: 7d } }
                tier: standard
            """);
        var (h, _, _) = Create(policy: policy, time: clock);

        var session = await OpenAsync(h, "203.0.113.24");
        var partner = await h.Service.CheckMailAsync(
            Requests.Mail(session, "203.0.113.24", helo: "mx1.partner.example"), default);
        var plain = await h.Service.CheckMailAsync(Requests.Mail(session, "203.0.113.24", helo: "mx1.other.example"),
            default);
        var bulkSession = await OpenAsync(h, "203.0.113.28");
        var bulk1 = await h.Service.CheckMailAsync(Requests.Mail(bulkSession, "203.0.113.28", "a@news.bulk.example"),
            default);
        var bulk2 = await h.Service.CheckMailAsync(Requests.Mail(bulkSession, "203.0.113.28", "a@news.bulk.example"),
            default);

        await h.Service.RecordOutcomeAsync(
            new OutcomeReport { ClientIp = "203.0.113.25", Kind = OutcomeKind.Convicted, Count = 3 }, default);
        var badReputation = await h.Service.CheckConnectAsync(Requests.Connect("203.0.113.25"), default);

        clock.Advance(TimeSpan.FromDays(8));
        var veteran = await h.Service.CheckConnectAsync(Requests.Connect("203.0.113.24"), default);

        Assert.Equal(SenderTier.Trusted, partner.Tier);
        Assert.Equal(SenderTier.Probation, plain.Tier);
        Assert.Equal((Action.Accept, 1L), (bulk1.Verdict.Action, bulk1.Limits.MessagesPerHour));
        Assert.Equal("messages-per-hour", bulk2.Verdict.Reason);
        AssertVerdict(badReputation.Verdict, Action.Reject, 554, "5.7.1", "tier-blocked");
        Assert.Equal(SenderTier.Standard, veteran.Tier);
        var shown = await Show(h, "203.0.113.24");
        Assert.Equal(("policy:veteran", "veteran"), (shown.TierSource, shown.PolicyRule));
    }

    protected async Task SharedReputationDecaysAndRefusesAtTheThresholdAsync()
    {
        var clock = new ManualTimeProvider(Start);
        var prefix = $"test:{Guid.NewGuid():N}:";
        var (h, _, _) = Create(policy: Policies.Probation(Roomy), time: clock, prefix: prefix);
        var (other, _, _) = Create(policy: Policies.Probation(Roomy), time: clock, prefix: prefix);

        var after = await h.Service.RecordOutcomeAsync(
            new OutcomeReport { ClientIp = "192.0.2.10", SenderDomain = "Spammy.Example", Kind = OutcomeKind.Convicted,
                Count = 6 },
            default);
        var refused = await other.Service.CheckConnectAsync(Requests.Connect("192.0.2.10"), default);
        var neighbour = await other.Service.CheckConnectAsync(Requests.Connect("192.0.2.11"), default);
        var session = await OpenAsync(other, "198.51.100.40");
        var domainMail = await other.Service.CheckMailAsync(Requests.Mail(session, "198.51.100.40", "x@spammy.example"),
            default);
        await h.Service.RecordOutcomeAsync(
            new OutcomeReport { ClientIp = "203.0.113.99", SenderDomain = "spammy.example", Kind = OutcomeKind.TrapHit,
                Count = 2 },
            default);
        var domainRefused = await other.Service.CheckMailAsync(Requests.Mail(session, "198.51.100.40",
            "x@spammy.example"), default);
        clock.Advance(TimeSpan.FromDays(1));
        var decayed = await other.Service.CheckConnectAsync(Requests.Connect("192.0.2.10"), default);

        Assert.Equal(-90, after.Reputation, 6);
        AssertVerdict(refused.Verdict, Action.Reject, 554, "5.7.1", "reputation");
        Assert.Equal("Access denied: 192.0.2.10 has a poor reputation here", refused.Verdict.Text);
        Assert.Equal(Action.Accept, neighbour.Verdict.Action);
        Assert.Equal(-30, neighbour.Reputation, 6);
        Assert.Equal(Action.Accept, domainMail.Verdict.Action);
        AssertVerdict(domainRefused.Verdict, Action.Reject, 550, "5.7.1", "reputation");
        Assert.Equal(Action.Accept, decayed.Verdict.Action);
        Assert.Equal(-45, decayed.Reputation, 6);
    }

    protected async Task TrustedByPolicyIsNotRefusedForReputationAsync()
    {
        var policy = Policies.Parse($$"""
            tiers:
              probation: { {{Roomy}} }
            rules:
              - name: relay
                match: { ip: [198.51.100.0/24] }
                tier: trusted
            """);
        var (h, _, _) = Create(policy: policy);
        foreach (var ip in new[] { "198.51.100.7", "203.0.113.7" })
        {
            await h.Service.RecordOutcomeAsync(
                new OutcomeReport { ClientIp = ip, SenderDomain = "relay.example", Kind = OutcomeKind.Convicted,
                    Count = 9 },
                default);
        }

        var trusted = await h.Service.CheckConnectAsync(Requests.Connect("198.51.100.7", "sess-trusted"), default);
        var mail = await h.Service.CheckMailAsync(Requests.Mail("sess-trusted", "198.51.100.7", "a@relay.example"),
            default);
        var untrusted = await h.Service.CheckConnectAsync(Requests.Connect("203.0.113.7"), default);

        Assert.Equal((Action.Accept, SenderTier.Trusted), (trusted.Verdict.Action, trusted.Tier));
        Assert.True(trusted.Reputation < -50, $"reputation {trusted.Reputation}");
        Assert.Equal(Action.Accept, mail.Verdict.Action);
        AssertVerdict(untrusted.Verdict, Action.Reject, 554, "5.7.1", "reputation");
    }

    protected async Task SpamTrapIsRefusedAndDemotesAsync()
    {
        var options = new SenderIntelligenceOptions
        {
            Local = new LocalEditionOptions { SpamTraps = ["Trap@Example.Test"] },
        };
        var (h, _, _) = Create(options, Policies.Probation(Roomy));
        var session = await OpenAsync(h, "203.0.113.26");
        await h.Service.CheckMailAsync(Requests.Mail(session, "203.0.113.26"), default);

        var trap = await h.Service.CheckRcptAsync(Requests.Rcpt(session, "203.0.113.26", "trap@example.test"), default);
        var profile = await Show(h, "203.0.113.26");

        AssertVerdict(trap.Verdict, Action.Reject, 550, "5.1.1", "spam-trap");
        Assert.Equal(1, profile.Statistics.TrapHits);
        Assert.Equal(-25, profile.Reputation, 6);
        Assert.Equal(SenderTier.Blocked, profile.Tier);
        Assert.Equal("sent to a spam trap", profile.History[0].Reason);
        Assert.True(h.Log.Has("SenderSpamTrapHit"));
    }

    protected async Task CloseCountsProtocolErrorsAndForgetsTheSessionAsync()
    {
        var (h, store, db) = Create(policy: Policies.Probation(Roomy));
        var decision = await h.Service.CheckConnectAsync(Requests.Connect("203.0.113.27", "sess-27"), default);
        await h.Service.CheckMailAsync(Requests.Mail("sess-27", "203.0.113.27"), default);
        Assert.True(await db.KeyExistsAsync(store.SessionKey("sess-27")));

        await h.Service.CloseSessionAsync(Requests.Close("sess-27", "203.0.113.27", decision.LeaseId,
            protocolErrors: 4), default);
        var profile = await Show(h, "203.0.113.27");

        Assert.False(await db.KeyExistsAsync(store.SessionKey("sess-27")));
        Assert.Equal(0, profile.OpenConnections);
        Assert.Equal(4, profile.Statistics.ProtocolErrors);
        Assert.Equal(-4, profile.Reputation, 6);
    }

    private (SenderHarness Harness, RedisSenderStore Store, StackExchange.Redis.IDatabase Db) Create(
        SenderIntelligenceOptions? options = null,
        SenderPolicy? policy = null,
        TimeProvider? time = null,
        string? prefix = null,
        LeaseOwner? owner = null)
    {
        options ??= new SenderIntelligenceOptions();
        if (options.StoreTimeout == new SenderIntelligenceOptions().StoreTimeout)
        {
            // A loaded test machine must not turn these scenarios into tests of the fail-open path.
            options.StoreTimeout = TimeSpan.FromSeconds(30);
        }

        var connection = SenderHarness.Connect(_configuration, prefix);
        _connections.Add(connection);
        var store = new RedisSenderStore(connection, Microsoft.Extensions.Options.Options.Create(options), owner);
        var harness = new SenderHarness(options, store, time ?? new ManualTimeProvider(Start), policy
            ?? Policies.Probation(Roomy));
        return (harness, store, connection.Database);
    }

    /// <summary>Connects (must be accepted) and gives the lease back at once; the session's counters stay.</summary>
    private static async Task<string> OpenAsync(SenderHarness h, string ip)
    {
        var session = Guid.NewGuid().ToString("N");
        var decision = await h.Service.CheckConnectAsync(Requests.Connect(ip, session), default);
        Assert.Equal(Action.Accept, decision.Verdict.Action);
        await h.Service.ReleaseConnectionAsync(Requests.Release(ip, decision.LeaseId), default);
        return session;
    }

    /// <summary>A connect whose lease is given back at once.</summary>
    private static async Task<ConnectDecision> Connect(SenderHarness h, string ip)
    {
        var decision = await h.Service.CheckConnectAsync(Requests.Connect(ip), default);
        if (decision.LeaseId.Length > 0)
        {
            await h.Service.ReleaseConnectionAsync(Requests.Release(ip, decision.LeaseId), default);
        }

        return decision;
    }

    /// <summary>One message: MAIL and RCPT must be accepted; returns the end-of-data decision.</summary>
    private static async Task<EndOfDataDecision> SendAsync(
        SenderHarness h, string ip, string session, bool spam = false, long size = 1000, int recipients = 1)
    {
        var mail = await h.Service.CheckMailAsync(Requests.Mail(session, ip), default);
        Assert.Equal(Action.Accept, mail.Verdict.Action);
        for (var i = 0; i < recipients; i++)
        {
            var rcpt = await h.Service.CheckRcptAsync(Requests.Rcpt(session, ip, $"user{i}@example.test"), default);
            Assert.Equal(Action.Accept, rcpt.Verdict.Action);
        }

        return await h.Service.CheckEndOfDataAsync(
            Requests.EndOfData(session, ip, size: size, recipients: recipients, spam: spam), default);
    }

    private static Task<SenderProfile> Show(SenderHarness h, string subject) =>
        h.Service.GetProfileAsync(new SenderProfileRequest { Subject = subject }, default);

    private static void AssertVerdict(Verdict verdict, Action action, int code, string enhanced, string reason)
    {
        Assert.Equal(action, verdict.Action);
        Assert.Equal(code, verdict.SmtpCode);
        Assert.Equal(enhanced, verdict.EnhancedCode);
        Assert.Equal(reason, verdict.Reason);
    }
}
