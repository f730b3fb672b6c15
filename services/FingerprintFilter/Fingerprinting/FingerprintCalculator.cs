using Gateway.FingerprintFilter.Normalization;
using Microsoft.Extensions.Logging;

namespace Gateway.FingerprintFilter.Fingerprinting;

/// <summary>Normalises a raw message and runs every fingerprint algorithm over it. Never throws on content.</summary>
public sealed class FingerprintCalculator
{
    private readonly MessageNormalizer _normalizer;
    private readonly IReadOnlyList<IFingerprintAlgorithm> _algorithms;
    private readonly ILogger<FingerprintCalculator> _logger;

    public FingerprintCalculator(
        MessageNormalizer normalizer,
        IEnumerable<IFingerprintAlgorithm> algorithms,
        ILogger<FingerprintCalculator> logger)
    {
        _normalizer = normalizer;
        _algorithms = algorithms.ToList();
        _logger = logger;
    }

    /// <exception cref="OperationCanceledException">Only when <paramref name="cancellationToken"/> fires.</exception>
    public MessageFingerprints Compute(ReadOnlyMemory<byte> rawMessage, CancellationToken cancellationToken = default)
    {
        using var message = _normalizer.Normalize(rawMessage, cancellationToken);

        // Distinct in first-seen order: a body sent as both text/plain and text/html, or an image
        // attached twice, is one fingerprint.
        var fingerprints = new List<string>();
        var distinct = new DistinctCollection(fingerprints);
        foreach (var algorithm in _algorithms)
        {
            try
            {
                algorithm.Compute(message, distinct, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                FingerprintFilterLog.AlgorithmFailed(_logger, algorithm.Kind, ex);
            }
        }

        return new MessageFingerprints(message.MessageId, fingerprints);
    }

    private sealed class DistinctCollection(List<string> target) : ICollection<string>
    {
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

        public int Count => target.Count;

        public bool IsReadOnly => false;

        public void Add(string item)
        {
            if (_seen.Add(item))
            {
                target.Add(item);
            }
        }

        public void Clear()
        {
            _seen.Clear();
            target.Clear();
        }

        public bool Contains(string item) => _seen.Contains(item);

        public void CopyTo(string[] array, int arrayIndex) => target.CopyTo(array, arrayIndex);

        public bool Remove(string item) => _seen.Remove(item) && target.Remove(item);

        public IEnumerator<string> GetEnumerator() => target.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
