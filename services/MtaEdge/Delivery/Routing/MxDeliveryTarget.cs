using System.Net;
using Gateway.Common.Mail;
using Gateway.MtaEdge.Delivery.Dns;
using Gateway.MtaEdge.Queue;
using Gateway.V1;

namespace Gateway.MtaEdge.Delivery.Routing;

/// <summary>
/// SMTP delivery to the hosts the recipient domain's MX records name (RFC 5321 section 5.1): lowest
/// preference first, equal preferences in random order, the next host when one cannot be reached.
/// No MX record means the domain's own address (the implicit MX); a null MX (RFC 7505) means the
/// domain takes no mail, which fails the recipients for good, as does a domain that does not exist.
/// </summary>
public sealed class MxDeliveryTarget : IDeliveryTarget
{
    /// <summary>MX hosts tried per attempt at most, and addresses per host (RFC 5321 5.1 asks for a bound).</summary>
    private const int MaxHosts = 5;
    private const int MaxAddressesPerHost = 2;

    private readonly DnsResolver _resolver;
    private readonly DeliveryOptions _options;
    private readonly string _hostname;

    public MxDeliveryTarget(DnsResolver resolver, DeliveryOptions options, string hostname)
    {
        _resolver = resolver;
        _options = options;
        _hostname = hostname;
    }

    public string Description => "mx";

    public MailboxStoreKind StoreKind => MailboxStoreKind.Imap;

    public async Task<IReadOnlyList<RecipientDeliveryResult>> DeliverAsync(
        QueuedMessage message,
        ReadOnlyMemory<byte> content,
        IReadOnlyList<QueuedRecipient> recipients,
        CancellationToken cancellationToken)
    {
        var results = new RecipientDeliveryResult[recipients.Count];
        foreach (var group in recipients.Select((r, i) => (Recipient: r, Index: i)).GroupBy(p => DomainOf(p.Recipient)))
        {
            var batch = group.Select(p => p.Recipient).ToList();
            var outcome = await DeliverToDomainAsync(group.Key, message, content, batch, cancellationToken);
            foreach (var (pair, result) in group.Zip(outcome))
            {
                results[pair.Index] = result;
            }
        }

        return results;
    }

    private async Task<IReadOnlyList<RecipientDeliveryResult>> DeliverToDomainAsync(
        string domain,
        QueuedMessage message,
        ReadOnlyMemory<byte> content,
        List<QueuedRecipient> recipients,
        CancellationToken cancellationToken)
    {
        var target = "mx:" + domain;
        if (domain.Length == 0)
        {
            return All(recipients, r => RecipientDeliveryResult.Permanent(
                r, "553 5.1.3 Recipient address has no domain"));
        }

        // Step 1: the MX records.
        var mx = await _resolver.LookupAsync(domain, DnsMessage.TypeMx, cancellationToken);
        switch (mx.Status)
        {
            case DnsLookupStatus.NameError:
                return All(recipients, r => RecipientDeliveryResult.Permanent(
                    r, $"550 5.1.2 Domain {domain} does not exist") with { Target = target });
            case DnsLookupStatus.Failure:
                return All(recipients, r => RecipientDeliveryResult.Temporary(
                    r, $"451 4.4.3 MX lookup of {domain} failed: {mx.Error}") with { Target = target });
        }

        if (mx.Exchanges is [{ Exchange: "" }])
        {
            return All(recipients, r => RecipientDeliveryResult.Permanent(
                r, $"556 5.1.10 Domain {domain} accepts no mail (null MX)") with { Target = target });
        }

        var hosts = mx.Exchanges.Count == 0
            ? [domain]
            : mx.Exchanges.Where(e => e.Exchange.Length > 0)
                .OrderBy(e => e.Preference).ThenBy(_ => Random.Shared.Next())
                .Select(e => e.Exchange).Distinct(StringComparer.OrdinalIgnoreCase).Take(MaxHosts).ToList();

        // Step 2: host by host, address by address, until one takes the transaction.
        IReadOnlyList<RecipientDeliveryResult>? last = null;
        var lastError = $"451 4.4.4 No MX host of {domain} could be reached";
        foreach (var host in hosts)
        {
            var addresses = await AddressesAsync(host, cancellationToken);
            if (addresses.Count == 0)
            {
                lastError = $"451 4.4.3 MX host {host} of {domain} has no usable address";
                continue;
            }

            foreach (var address in addresses.Take(MaxAddressesPerHost))
            {
                var hop = new SmtpDeliveryTarget(
                    new DeliveryTargetAddress(DeliveryTargetKind.Smtp, "", address.ToString(), _options.MxPort),
                    _options,
                    _hostname);
                last = await hop.DeliverAsync(message, content, recipients, cancellationToken);
                if (!last.All(r => r.Outcome == DeliveryOutcome.TemporaryFailure && r.HostFailure))
                {
                    return last;
                }
            }
        }

        return last ?? All(recipients, r => RecipientDeliveryResult.Temporary(r, lastError) with { Target = target });
    }

    private async Task<IReadOnlyList<IPAddress>> AddressesAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            return [literal];
        }

        var found = new List<IPAddress>();
        foreach (var type in new[] { DnsMessage.TypeA, DnsMessage.TypeAaaa })
        {
            var answer = await _resolver.LookupAsync(host, type, cancellationToken);
            found.AddRange(answer.Addresses);
        }

        // Never deliver to an address that cannot be a remote mail server.
        return found.Where(a => !a.Equals(IPAddress.Any) && !a.Equals(IPAddress.IPv6Any)).ToList();
    }

    private static string DomainOf(QueuedRecipient recipient) =>
        EnvelopeAddress.TryParse(recipient.Address, out var address) ? address.Domain.ToLowerInvariant() : "";

    private static List<RecipientDeliveryResult> All(
        List<QueuedRecipient> recipients, Func<QueuedRecipient, RecipientDeliveryResult> result) =>
        recipients.Select(result).ToList();
}
