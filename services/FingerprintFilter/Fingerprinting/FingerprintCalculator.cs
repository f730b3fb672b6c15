using Gateway.FingerprintFilter.Configuration;
using Gateway.FingerprintFilter.Normalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.FingerprintFilter.Fingerprinting;

/// <summary>Normalises a raw message and runs every fingerprint algorithm over it. Never throws on content.</summary>
public sealed class FingerprintCalculator
{
    private readonly MessageNormalizer _normalizer;
    private readonly IReadOnlyList<IFingerprintAlgorithm> _algorithms;
    private readonly int _maxFingerprints;
    private readonly ILogger<FingerprintCalculator> _logger;

    public FingerprintCalculator(
        MessageNormalizer normalizer,
        IEnumerable<IFingerprintAlgorithm> algorithms,
        IOptions<FingerprintFilterOptions> options,
        ILogger<FingerprintCalculator> logger)
    {
        _normalizer = normalizer;
        _algorithms = algorithms.ToList();
        _maxFingerprints = options.Value.MaxFingerprintsPerMessage;
        _logger = logger;
    }

    /// <exception cref="OperationCanceledException">Only when <paramref name="cancellationToken"/> fires.</exception>
    public MessageFingerprints Compute(ReadOnlyMemory<byte> rawMessage, CancellationToken cancellationToken = default)
    {
        using var message = _normalizer.Normalize(rawMessage, cancellationToken);

        // Distinct in first-seen order: a body sent as both text/plain and text/html, or an image
        // attached twice, is one fingerprint. Algorithms run in registration order (text first), so
        // a message with more than the cap keeps its most telling fingerprints.
        var sink = new FingerprintSink(_maxFingerprints);
        foreach (var algorithm in _algorithms)
        {
            try
            {
                algorithm.Compute(message, sink, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                FingerprintFilterLog.AlgorithmFailed(_logger, algorithm.Kind, ex);
            }
        }

        if (sink.Truncated)
        {
            FingerprintFilterLog.FingerprintLimitReached(_logger, _maxFingerprints);
        }

        return new MessageFingerprints(message.MessageId, sink.Fingerprints, sink.FuzzyParts);
    }
}
