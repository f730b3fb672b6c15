using System.Net;
using Gateway.Common.Mail;
using Gateway.Common.Redis;
using Gateway.RetroRemediation.Configuration;
using Gateway.V1;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.RetroRemediation.Reputation;

/// <summary>
/// Remembers, per delivered message (not per copy), where it came from, for as long as its copies are remembered,
/// so a later conviction can be charged to the sender. Keys: <c>o:&lt;queue id&gt;</c> holds "ip\ndomain";
/// <c>oc:&lt;queue id&gt;</c> marks a message already charged, so one message costs its sender once however many
/// events or reports convict it.
/// </summary>
public sealed class MessageOriginStore(IRedisConnection redis, IOptions<RetroRemediationOptions> options)
{
    private const int MaxDomainLength = 255;

    // Outlives the copies by a day, as the cache's own keys do, so late events still find the origin.
    private TimeSpan Lifetime => options.Value.Window + TimeSpan.FromDays(1);

    /// <summary>
    /// Records the origin of the record's message once (the first copy's write wins; the rest change nothing).
    /// Copies from allow-listed clients and records without a usable client address are not recorded.
    /// </summary>
    public async Task RememberAsync(DeliveryRecord record)
    {
        if (record.ClientAllowListed || !IPAddress.TryParse(record.ClientIp, out var client))
        {
            return;
        }

        var domain = SenderDomain(record.EnvelopeSender);
        await redis.Database.StringSetAsync(
            redis.Key("o", record.QueueId), client + "\n" + domain, Lifetime, When.NotExists);
    }

    /// <summary>The origins of the given messages that are still remembered.</summary>
    public async Task<IReadOnlyDictionary<string, MessageOrigin>> ReadAsync(IReadOnlyList<string> queueIds)
    {
        var found = new Dictionary<string, MessageOrigin>(StringComparer.Ordinal);
        if (queueIds.Count == 0)
        {
            return found;
        }

        var values = await redis.Database.StringGetAsync(queueIds.Select(q => redis.Key("o", q)).ToArray());
        for (var i = 0; i < queueIds.Count; i++)
        {
            var text = (string?)values[i];
            var newline = text?.IndexOf('\n') ?? -1;
            if (text is not null && newline > 0)
            {
                found[queueIds[i]] = new MessageOrigin(text[..newline], text[(newline + 1)..]);
            }
        }

        return found;
    }

    /// <summary>True the first time the message is charged with a conviction; false ever after.</summary>
    public Task<bool> TryMarkChargedAsync(string queueId) =>
        redis.Database.StringSetAsync(redis.Key("oc", queueId), 1, Lifetime, When.NotExists);

    private static string SenderDomain(string envelopeSender) =>
        EnvelopeAddress.TryParse(envelopeSender, out var sender) && sender.Domain.Length <= MaxDomainLength
            && !sender.Domain.Contains('\n')
            ? sender.Domain
            : "";
}
