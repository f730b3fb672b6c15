using Gateway.Common.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.MtaEdge.Delivery;

/// <summary>Builds the configured <see cref="IDeliveryTarget"/> from <see cref="DeliveryOptions.Target"/>.</summary>
public sealed class DeliveryTargetFactory(
    IOptions<DeliveryOptions> deliveryOptions,
    IOptions<GatewayOptions> gatewayOptions,
    DomainSet domains,
    TimeProvider time)
{
    public IDeliveryTarget Create()
    {
        var options = deliveryOptions.Value;
        var gateway = gatewayOptions.Value;
        if (!DeliveryTargetAddress.TryParse(options.Target, gateway.FullDataDir, out var address, out var error))
        {
            // The validator stops the host earlier; this guards direct use.
            throw new OptionsValidationException(
                DeliveryOptions.SectionName, typeof(DeliveryOptions), [$"Target '{options.Target}': {error}"]);
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
