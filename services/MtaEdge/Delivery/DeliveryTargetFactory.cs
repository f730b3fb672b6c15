using Gateway.Common.Configuration;
using Gateway.MtaEdge.Delivery.Dns;
using Gateway.MtaEdge.Delivery.Routing;
using Microsoft.Extensions.Options;

namespace Gateway.MtaEdge.Delivery;

/// <summary>
/// Builds the delivery target from <see cref="DeliveryOptions"/>: the default target for the local
/// domains, the static routes and the remote targets, behind one <see cref="RoutingDeliveryTarget"/>.
/// </summary>
public sealed class DeliveryTargetFactory(
    IOptions<DeliveryOptions> deliveryOptions,
    IOptions<GatewayOptions> gatewayOptions,
    DomainSet domains,
    TimeProvider time)
{
    /// <summary>The word that stands for MX lookup in a list of targets.</summary>
    public const string MxTarget = "mx";

    private DnsResolver? _resolver;

    public IDeliveryTarget Create()
    {
        var options = deliveryOptions.Value;
        var routes = options.Routes.Select(r => (r.Domain, Route(r.Domain, r.Targets, remote: false)));
        var localDefault = new ResolvedRoute(
            CreateOne(options.Target).Description, [CreateOne(options.Target)], Remote: false);
        var remote = options.RemoteTargets.Count == 0 ? null : Route("remote", options.RemoteTargets, remote: true);
        return new RoutingDeliveryTarget(new DeliveryRouteTable(routes.ToList(), localDefault, remote, domains));
    }

    /// <summary>True when <paramref name="target"/> is a usable target (or "mx"), else the reason.</summary>
    public static bool TryValidate(string target, string dataDir, out string error)
    {
        error = "";
        return string.Equals(target.Trim(), MxTarget, StringComparison.OrdinalIgnoreCase)
            || DeliveryTargetAddress.TryParse(target, dataDir, out _, out error);
    }

    private ResolvedRoute Route(string name, IReadOnlyList<string> targets, bool remote)
    {
        var built = targets.Select(CreateOne).ToList();
        return new ResolvedRoute($"{name}: {string.Join(", ", built.Select(t => t.Description))}", built, remote);
    }

    private IDeliveryTarget CreateOne(string target)
    {
        var options = deliveryOptions.Value;
        var gateway = gatewayOptions.Value;
        if (string.Equals(target.Trim(), MxTarget, StringComparison.OrdinalIgnoreCase))
        {
            _resolver ??= new DnsResolver(DnsResolver.Servers(options.DnsServers), options.DnsTimeout);
            return new MxDeliveryTarget(_resolver, options, gateway.Hostname);
        }

        if (!DeliveryTargetAddress.TryParse(target, gateway.FullDataDir, out var address, out var error))
        {
            // The validator stops the host earlier; this guards direct use.
            throw new OptionsValidationException(
                DeliveryOptions.SectionName, typeof(DeliveryOptions), [$"Target '{target}': {error}"]);
        }

        return address.Kind switch
        {
            DeliveryTargetKind.Maildir =>
                new MaildirDeliveryTarget(address.MaildirRoot, domains, gateway.Hostname, time),
            DeliveryTargetKind.Lmtp => new LmtpDeliveryTarget(address, options, gateway.Hostname),
            _ => new SmtpDeliveryTarget(address, options, gateway.Hostname),
        };
    }
}
