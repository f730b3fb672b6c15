using System.Globalization;
using System.Net;
using Gateway.Common.Redis;
using Gateway.SenderIntelligence.Configuration;
using Gateway.SenderIntelligence.Networks;
using Gateway.SenderIntelligence.Policy;
using Gateway.SenderIntelligence.Subjects;
using Gateway.V1;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.SenderIntelligence.Store;

/// <summary>
/// The store in Redis (or the embedded Garnet). Keys, under the gateway's prefix:
/// <list type="bullet">
/// <item><c>sender:conn:&lt;ip&gt;</c> sorted set of connection leases (score: expiry in Unix ms)</item>
/// <item><c>sender:prof:ip:&lt;ip&gt;</c> hash: the address's profile, reputation and sliding-window counters</item>
/// <item><c>sender:prof:dom:&lt;domain&gt;</c> hash: the sender domain's profile and reputation</item>
/// <item><c>sender:rep:net:&lt;cidr&gt;</c> hash: the reputation an address's /24 (/64) shares</item>
/// <item><c>sender:sess:&lt;session&gt;</c> hash: one session's counters (messages; recipients of the
/// transaction)</item>
/// <item><c>sender:hist:&lt;subject&gt;</c> list of tier changes, newest first</item>
/// <item><c>sender:overrides</c> hash of administrator decisions by subject</item>
/// </list>
/// where a subject is <c>ip:&lt;address&gt;</c>, <c>net:&lt;cidr&gt;</c> or <c>dom:&lt;domain&gt;</c>.
/// </summary>
public sealed class RedisSenderStore : ISenderStore
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly StoreScript StandingScript = new(SenderScripts.Standing);
    private static readonly StoreScript ConnectScript = new(SenderScripts.Connect);
    private static readonly StoreScript MailScript = new(SenderScripts.Mail);
    private static readonly StoreScript RcptScript = new(SenderScripts.Rcpt);
    private static readonly StoreScript EndOfDataScript = new(SenderScripts.EndOfData);
    private static readonly StoreScript OutcomeScript = new(SenderScripts.Outcome);
    private static readonly StoreScript TransitionScript = new(SenderScripts.Transition);
    private static readonly StoreScript OverrideScript = new(SenderScripts.Override);
    private static readonly StoreScript ResetScript = new(SenderScripts.Reset);

    private readonly IRedisConnection _redis;
    private readonly TimeSpan _profileRetention;
    private readonly int _historyEntries;

    public RedisSenderStore(IRedisConnection redis, IOptions<SenderIntelligenceOptions> options)
    {
        _redis = redis;
        _profileRetention = options.Value.Dynamic.ProfileRetention;
        _historyEntries = options.Value.Dynamic.HistoryEntries;
    }

    public RedisKey LeaseKey(IPAddress client) => _redis.Key("sender", "conn", Text(client));

    public RedisKey ProfileKey(SenderSubject subject) => _redis.Key("sender", "prof", subject.Key);

    /// <summary>
    /// The counters of one session. Session ids come from the caller; one that is long or unusual is hashed, so a
    /// key stays short and printable whatever an integration sends.
    /// </summary>
    public RedisKey SessionKey(string sessionId) => _redis.Key("sender", "sess",
        sessionId.Length is > 0 and <= 100 && sessionId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? sessionId
            : "h" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
                System.Text.Encoding.UTF8.GetBytes(sessionId)))[..40]);

    public async Task<SenderStanding> ReadStandingAsync(
        IPAddress client, DateTimeOffset now, ReputationParameters? reputation)
    {
        var values = await EvalAsync(
            StandingScript,
            [Profile(client), NetworkReputation(client)],
            [Ms(now), HalfLife(reputation)]).ConfigureAwait(false);
        return new SenderStanding(ProfileFields.Read(values, 2), Number(values[0]), Number(values[1]));
    }

    public async Task<double> ReadDomainReputationAsync(
        string domain, DateTimeOffset now, ReputationParameters? reputation)
    {
        var key = DomainProfile(domain);
        var values = await EvalAsync(StandingScript, [key, key], [Ms(now), HalfLife(reputation)])
            .ConfigureAwait(false);
        return Number(values[0]);
    }

    public async Task<ConnectResult> ConnectAsync(ConnectArgs args)
    {
        var now = Ms(args.Now);
        var leaseMs = (long)args.LeaseTime.TotalMilliseconds;
        var (bucket, fraction) = Bucket(args.Now, args.Limits.ConnectionWindow);
        var values = await EvalAsync(
            ConnectScript,
            [LeaseKey(args.Client), Profile(args.Client), NetworkReputation(args.Client)],
            [
                now, now + leaseMs, args.LeaseId, leaseMs, args.Limits.ConcurrentConnections,
                args.Limits.ConnectionsPerWindow, bucket, fraction, Ms(_profileRetention), HalfLife(args.Reputation),
                RejectAt(args.Reputation), args.Reputation?.NetworkWeight ?? 0, args.TakeLease ? "1" : "0",
            ]).ConfigureAwait(false);
        return new ConnectResult(
            (ConnectStatus)(long)values[0],
            (long)values[1],
            Number(values[2]),
            new SenderStanding(ProfileFields.Read(values, 5), Number(values[3]), Number(values[4])));
    }

    public Task ReleaseAsync(IPAddress client, string leaseId) =>
        _redis.Database.SortedSetRemoveAsync(LeaseKey(client), leaseId);

    public async Task<MailResult> MailAsync(MailArgs args)
    {
        var (bucket, fraction) = Bucket(args.Now, Hour);
        var values = await EvalAsync(
            MailScript,
            [SessionKey(args.SessionId), Profile(args.Client), DomainProfile(args.Domain)],
            [
                Ms(args.Now), args.Limits.MessagesPerConnection, args.Limits.MessagesPerHour, bucket, fraction,
                args.Limits.BytesPerHour, Math.Max(0, args.DeclaredSize), Ms(args.SessionTime), Ms(_profileRetention),
                HalfLife(args.Reputation), RejectAt(args.Reputation), Num(args.AddressReputation),
                args.Reputation?.DomainWeight ?? 0, args.Domain is null ? "0" : "1",
            ]).ConfigureAwait(false);
        return new MailResult(
            (MailStatus)(long)values[0], (long)values[1], Number(values[2]), Number(values[3]), Number(values[4]));
    }

    public async Task<RcptResult> RcptAsync(RcptArgs args)
    {
        var (bucket, fraction) = Bucket(args.Now, args.HarvestWindow);
        var rep = args.Reputation;
        var values = await EvalAsync(
            RcptScript,
            [
                SessionKey(args.SessionId), Profile(args.Client), NetworkReputation(args.Client),
                DomainProfile(args.Domain),
            ],
            [
                Ms(args.Now), args.Limits.RecipientsPerMessage, args.Unknown ? "1" : "0", bucket, fraction,
                Ms(args.SessionTime), Ms(_profileRetention), HalfLife(rep), Num(args.UnknownDelta),
                Num(rep?.Minimum ?? 0), Num(rep?.Maximum ?? 0), ReputationTtl(rep), args.Domain is null ? "0" : "1",
            ]).ConfigureAwait(false);
        return new RcptResult((RcptStatus)(long)values[0], (long)values[1], Number(values[2]), Number(values[3]));
    }

    public async Task<EndOfDataResult> EndOfDataAsync(EndOfDataArgs args)
    {
        var (bucket, fraction) = Bucket(args.Now, Hour);
        var rep = args.Reputation;
        var values = await EvalAsync(
            EndOfDataScript,
            [Profile(args.Client), DomainProfile(args.Domain), NetworkReputation(args.Client)],
            [
                Ms(args.Now), Math.Max(0, args.Size), Math.Max(0, args.Recipients), args.Spam ? "1" : "0",
                args.Limits.BytesPerHour, bucket, fraction, Ms(_profileRetention), HalfLife(rep),
                Num(args.ReputationDelta), Num(rep?.Minimum ?? 0), Num(rep?.Maximum ?? 0), ReputationTtl(rep),
                args.Domain is null ? "0" : "1", Num(args.HourlyAverageWeight), args.EnforceByteLimit ? "1" : "0",
            ]).ConfigureAwait(false);
        if ((long)values[0] == 1)
        {
            return new EndOfDataResult(true, Number(values[1]), null, 0);
        }

        return new EndOfDataResult(
            false,
            Number(values[1]),
            new SenderStanding(ProfileFields.Read(values, 5), Number(values[2]), Number(values[3])),
            Number(values[4]));
    }

    public async Task<OutcomeResult?> RecordOutcomeAsync(OutcomeArgs args)
    {
        var rep = args.Reputation;
        var values = await EvalAsync(
            OutcomeScript,
            [
                Profile(args.Client), NetworkReputation(args.Client), DomainProfile(args.Domain),
                LeaseKey(args.Client), SessionKey(args.ForgetSessionId ?? ""),
            ],
            [
                Ms(args.Now), Math.Max(0, args.Count), args.ProfileField ?? "", args.TierField ?? "", HalfLife(rep),
                Num(args.DeltaEach), Num(rep?.Minimum ?? 0), Num(rep?.Maximum ?? 0), ReputationTtl(rep),
                Ms(_profileRetention), args.Domain is null ? "0" : "1", args.ReleaseLeaseId ?? "",
                args.ForgetSessionId is null ? "0" : "1",
            ]).ConfigureAwait(false);
        if (values.Length == 0)
        {
            return null;
        }

        return new OutcomeResult(
            new SenderStanding(ProfileFields.Read(values, 3), Number(values[0]), Number(values[1])), Number(values[2]));
    }

    public async Task<bool> TransitionAsync(TransitionArgs args)
    {
        var subject = SenderSubject.ForAddress(args.Client);
        var result = await TransitionScript.EvaluateAsync(
            _redis.Database,
            [Profile(args.Client), History(subject)],
            [
                (int)args.Expected, (int)args.Next, Ms(args.Now), args.Reason, args.HistoryEntry, _historyEntries,
                Ms(_profileRetention),
                args.RampFrom is { } from ? ((int)from).ToString(CultureInfo.InvariantCulture) : "",
                (int)SenderTier.Probation,
            ]).ConfigureAwait(false);
        return (long)result == 1;
    }

    public async Task<IReadOnlyDictionary<string, string>> ReadOverridesAsync()
    {
        var entries = await _redis.Database.HashGetAllAsync(OverridesKey).ConfigureAwait(false);
        return entries.ToDictionary(e => e.Name.ToString(), e => e.Value.ToString(), StringComparer.Ordinal);
    }

    public async Task<bool> SetOverrideAsync(
        SenderSubject subject, string? value, string historyEntry, string? expected = null)
    {
        var result = await OverrideScript.EvaluateAsync(
            _redis.Database,
            [OverridesKey, History(subject)],
            [subject.Key, value ?? "", historyEntry, _historyEntries, Ms(_profileRetention), expected ?? "*"])
            .ConfigureAwait(false);
        return (long)result == 1;
    }

    public Task ResetAsync(SenderSubject subject, string historyEntry)
    {
        var keys = new List<RedisKey> { OverridesKey, History(subject), ProfileKey(subject) };
        if (subject.Kind == SubjectKind.Network)
        {
            // A network of exactly the reputation size also carries the reputation its addresses share.
            keys.Add(_redis.Key("sender", "rep", "net:" + subject.Canonical));
        }

        return ResetScript.EvaluateAsync(
            _redis.Database, keys.ToArray(), [subject.Key, historyEntry, _historyEntries, Ms(_profileRetention)]);
    }

    public async Task<StoredProfile> ReadProfileAsync(
        SenderSubject subject, DateTimeOffset now, ReputationParameters? reputation)
    {
        var db = _redis.Database;
        var batch = db.CreateBatch();
        var fields = batch.HashGetAllAsync(ProfileKey(subject));
        Task<RedisValue[]>? network = null;
        Task<long>? leases = null;
        if (subject.Kind == SubjectKind.Address)
        {
            var address = IPAddress.Parse(subject.Canonical);
            network = batch.HashGetAsync(NetworkReputation(address), ["s", "t"]);
            leases = batch.SortedSetLengthAsync(LeaseKey(address), Ms(now), double.PositiveInfinity, Exclude.Start);
        }
        else if (subject.Kind == SubjectKind.Network)
        {
            network = batch.HashGetAsync(_redis.Key("sender", "rep", "net:" + subject.Canonical), ["s", "t"]);
        }

        var history = batch.ListRangeAsync(History(subject), 0, _historyEntries - 1);
        batch.Execute();
        await Task.WhenAll(fields, history).ConfigureAwait(false);
        var profile = fields.Result.ToDictionary(
            e => e.Name.ToString(), e => e.Value.ToString(), StringComparer.Ordinal);
        var own = Decay(profile.GetValueOrDefault("s"), profile.GetValueOrDefault("t"), now, reputation);
        var shared = network is null ? 0 : Decay(await network.ConfigureAwait(false), now, reputation);
        return new StoredProfile(
            profile,
            subject.Kind == SubjectKind.Network ? shared : own,
            subject.Kind == SubjectKind.Address ? shared : 0,
            history.Result.Select(v => v.ToString()).ToList(),
            leases is null ? 0 : await leases.ConfigureAwait(false));
    }

    /// <summary>The same decay as the scripts' <c>decayed</c>.</summary>
    public static double Decay(double score, long lastMs, long nowMs, TimeSpan halfLife) =>
        halfLife <= TimeSpan.Zero ? 0
        : nowMs > lastMs ? score * Math.Pow(2, -(nowMs - lastMs) / halfLife.TotalMilliseconds) : score;

    private static double Decay(RedisValue[] values, DateTimeOffset now, ReputationParameters? reputation) =>
        values.Length < 2 || values[0].IsNull ? 0 : Decay(values[0].ToString(), values[1].ToString(), now, reputation);

    private static double Decay(string? score, string? last, DateTimeOffset now, ReputationParameters? reputation)
    {
        if (reputation is null || string.IsNullOrEmpty(score))
        {
            return 0;
        }

        var lastMs = ProfileFields.Long(last ?? "") ?? Ms(now);
        return Decay(ProfileFields.Double(score), lastMs, Ms(now), reputation.HalfLife);
    }

    private RedisKey OverridesKey => _redis.Key("sender", "overrides");

    private RedisKey Profile(IPAddress client) => _redis.Key("sender", "prof", "ip:" + Text(client));

    /// <summary>The profile of a sender domain; for no domain, a key that the scripts never write.</summary>
    private RedisKey DomainProfile(string? domain) => _redis.Key("sender", "prof", "dom:" + (domain ?? ""));

    private RedisKey NetworkReputation(IPAddress client) =>
        _redis.Key("sender", "rep", "net:" + ReputationNetwork.Of(client));

    private RedisKey History(SenderSubject subject) => _redis.Key("sender", "hist", subject.Key);

    private async Task<RedisResult[]> EvalAsync(StoreScript script, RedisKey[] keys, RedisValue[] values)
    {
        var result = await script.EvaluateAsync(_redis.Database, keys, values).ConfigureAwait(false);
        return (RedisResult[]?)result ?? throw new RedisException("A sender intelligence script returned no result.");
    }

    private static string Text(IPAddress client) => IpAddressParser.Normalize(client).ToString();

    private static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    private static long Ms(TimeSpan span) => (long)span.TotalMilliseconds;

    private static string Num(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static double Number(RedisResult result) => ProfileFields.Double(result.ToString() ?? "");

    private static RedisValue HalfLife(ReputationParameters? reputation) =>
        reputation is null ? 0 : (long)reputation.HalfLife.TotalMilliseconds;

    private static RedisValue RejectAt(ReputationParameters? reputation) =>
        reputation?.RejectAtOrBelow is { } at ? Num(at) : "none";

    private static RedisValue ReputationTtl(ReputationParameters? reputation) =>
        reputation is null ? 1 : (long)(reputation.HalfLife.TotalMilliseconds * 16);

    /// <summary>The window bucket of <paramref name="now"/> and how far into it we are (0 to 1).</summary>
    private static (long Bucket, string Fraction) Bucket(DateTimeOffset now, TimeSpan window)
    {
        var ms = Ms(now);
        var size = Math.Max(1L, (long)window.TotalMilliseconds);
        return (ms / size, Num((ms % size) / (double)size));
    }
}
