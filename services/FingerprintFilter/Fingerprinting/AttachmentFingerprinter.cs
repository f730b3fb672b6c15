using Gateway.FingerprintFilter.Normalization;

namespace Gateway.FingerprintFilter.Fingerprinting;

/// <summary>
/// <c>a1</c>: the digest of one attachment's decoded bytes (images, documents, embedded messages).
/// Empty parts are skipped. An a1 match never convicts on its own; see <see cref="FingerprintKinds"/>.
/// </summary>
public sealed class AttachmentFingerprinter : IFingerprintAlgorithm
{
    public string Kind => FingerprintKinds.Attachment;

    public void Compute(NormalizedMessage message, FingerprintSink output, CancellationToken cancellationToken)
    {
        foreach (var attachment in message.Attachments)
        {
            using var digest = new DigestStream();
            attachment.WriteDecodedTo(digest, cancellationToken);
            if (digest.BytesWritten > 0)
            {
                output.Add(FingerprintDigest.Of(Kind, digest.Hash));
            }
        }
    }
}
