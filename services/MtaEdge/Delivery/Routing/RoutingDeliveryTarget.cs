using Gateway.Common.Mail;
using Gateway.MtaEdge.Queue;
using Gateway.V1;

namespace Gateway.MtaEdge.Delivery.Routing;

/// <summary>
/// Splits a message's pending recipients by route and delivers each group to its route's targets,
/// moving on to the next target for the recipients whose host could not be reached (failover).
/// A recipient without a route fails for good: the gateway never relays mail elsewhere.
/// </summary>
public sealed class RoutingDeliveryTarget : IDeliveryTarget
{
    private readonly DeliveryRouteTable _routes;

    public RoutingDeliveryTarget(DeliveryRouteTable routes)
    {
        _routes = routes;
    }

    public string Description => _routes.HasStaticRoutes || _routes.Remote is not null
        ? $"{_routes.LocalDefault.Name} (and static or remote routes)"
        : _routes.LocalDefault.Name;

    public MailboxStoreKind StoreKind => _routes.LocalDefault.Targets[0].StoreKind;

    public DeliveryRouteTable Routes => _routes;

    public async Task<IReadOnlyList<RecipientDeliveryResult>> DeliverAsync(
        QueuedMessage message,
        ReadOnlyMemory<byte> content,
        IReadOnlyList<QueuedRecipient> recipients,
        CancellationToken cancellationToken)
    {
        var results = new RecipientDeliveryResult?[recipients.Count];
        var isReport = message.MailFrom.Length == 0;
        var groups = new Dictionary<ResolvedRoute, List<int>>();
        for (var i = 0; i < recipients.Count; i++)
        {
            var domain = EnvelopeAddress.TryParse(recipients[i].Address, out var address) ? address.Domain : "";
            var route = domain.Length == 0 ? null : _routes.Find(domain, isReport);
            if (route is null)
            {
                results[i] = RecipientDeliveryResult.Permanent(
                    recipients[i], $"554 5.4.4 No route to {(domain.Length == 0 ? "this address" : domain)}")
                    with { Target = "routes" };
                continue;
            }

            if (!groups.TryGetValue(route, out var indexes))
            {
                groups[route] = indexes = new List<int>();
            }

            indexes.Add(i);
        }

        foreach (var (route, indexes) in groups)
        {
            await DeliverRouteAsync(route, message, content, recipients, indexes, results, cancellationToken);
        }

        return results.Select(r => r!).ToList();
    }

    private static async Task DeliverRouteAsync(
        ResolvedRoute route,
        QueuedMessage message,
        ReadOnlyMemory<byte> content,
        IReadOnlyList<QueuedRecipient> recipients,
        List<int> indexes,
        RecipientDeliveryResult?[] results,
        CancellationToken cancellationToken)
    {
        var pending = indexes;
        foreach (var target in route.Targets)
        {
            var batch = pending.Select(i => recipients[i]).ToList();
            var outcome = await target.DeliverAsync(message, content, batch, cancellationToken);
            var next = new List<int>();
            for (var k = 0; k < pending.Count; k++)
            {
                var result = outcome[k] with
                {
                    Store = outcome[k].Store ?? target.StoreKind,
                    Remote = route.Remote,
                    Target = outcome[k].Target.Length > 0 ? outcome[k].Target : target.Description,
                };
                results[pending[k]] = result;
                if (result.Outcome == DeliveryOutcome.TemporaryFailure && result.HostFailure)
                {
                    next.Add(pending[k]);
                }
            }

            if (next.Count == 0)
            {
                return;
            }

            pending = next;
        }
    }
}
