using Gateway.MtaEdge.Delivery.Transfer;

namespace Gateway.MtaEdge.Delivery;

/// <summary>RFC 5321 SMTP to a next-hop server, which answers the data once for all recipients.</summary>
public sealed class SmtpDeliveryTarget(DeliveryTargetAddress address, DeliveryOptions options, string hostname)
    : MailTransferTarget(TransferProtocol.Smtp, address, options, hostname);
