namespace Gateway.MtaEdge.Delivery.Transfer;

/// <summary>The dialect the transfer client speaks; they differ in the greeting verb and DATA replies.</summary>
public enum TransferProtocol
{
    /// <summary>RFC 5321: EHLO (HELO as a fallback), one reply after the data for all recipients.</summary>
    Smtp,

    /// <summary>RFC 2033: LHLO, one reply after the data per accepted recipient, in RCPT order.</summary>
    Lmtp,
}
