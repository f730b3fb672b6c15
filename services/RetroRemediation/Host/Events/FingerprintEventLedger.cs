using Gateway.Common.Redis;
using Gateway.RetroRemediation.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.RetroRemediation.Host.Events;

/// <summary>
/// Which fingerprint events have been acted on and announced (<c>fe-done:&lt;event id&gt;</c>, kept for the
/// remediation window plus a day), so a re-read event is not announced again. Acting on it again would be
/// harmless anyway: each copy's state machine turns a repeated conviction into a look, never a second move.
/// </summary>
public sealed class FingerprintEventLedger(IRedisConnection redis, IOptions<RetroRemediationOptions> options)
{
    public async Task<bool> IsDoneAsync(string eventId) =>
        await redis.Database.KeyExistsAsync(redis.Key("fe-done", eventId));

    public Task MarkDoneAsync(string eventId) =>
        redis.Database.StringSetAsync(redis.Key("fe-done", eventId), "1", options.Value.Window + TimeSpan.FromDays(1));
}
