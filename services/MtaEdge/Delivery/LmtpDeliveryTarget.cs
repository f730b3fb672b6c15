using Gateway.MtaEdge.Delivery.Transfer;

namespace Gateway.MtaEdge.Delivery;

/// <summary>
/// RFC 2033 LMTP to a mailbox server such as Dovecot: the server answers after the data once per
/// recipient, so one full mailbox does not hold back the others. MailKit has no LMTP client; this
/// is the gateway's own (<see cref="MailTransferTarget"/>).
/// </summary>
public sealed class LmtpDeliveryTarget(DeliveryTargetAddress address, DeliveryOptions options, string hostname)
    : MailTransferTarget(TransferProtocol.Lmtp, address, options, hostname);
