using Gateway.V1;
using Google.Protobuf;

namespace Gateway.FingerprintFilter.Sharing;

/// <summary>
/// A feed as a file, for sites that exchange feeds offline: signed batches one after another, each
/// length-prefixed (protobuf's delimited form: a base-128 varint length, then the bytes). Each batch
/// carries its own signature and watermarks, so a file can be imported incrementally and verified
/// batch by batch.
/// </summary>
public static class FeedFile
{
    /// <summary>Batches larger than this are refused when reading (a bound on hostile files).</summary>
    public const int MaxBatchBytes = 64 * 1024 * 1024;

    public static void Write(Stream output, IEnumerable<SignedFeedBatch> batches)
    {
        foreach (var batch in batches)
        {
            batch.WriteDelimitedTo(output);
        }
    }

    /// <exception cref="InvalidDataException">A batch is truncated, too large or not a batch.</exception>
    public static IEnumerable<SignedFeedBatch> Read(Stream input)
    {
        while (ReadLength(input) is { } length)
        {
            var bytes = new byte[length];
            try
            {
                input.ReadExactly(bytes);
            }
            catch (EndOfStreamException ex)
            {
                throw new InvalidDataException("feed file ends inside a batch", ex);
            }

            SignedFeedBatch batch;
            try
            {
                batch = SignedFeedBatch.Parser.ParseFrom(bytes);
            }
            catch (InvalidProtocolBufferException ex)
            {
                throw new InvalidDataException("feed file holds something that is not a signed batch", ex);
            }

            yield return batch;
        }
    }

    /// <returns>The next length, or null at a clean end of the file.</returns>
    private static int? ReadLength(Stream input)
    {
        long length = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            var b = input.ReadByte();
            if (b < 0)
            {
                return shift == 0 ? null : throw new InvalidDataException("feed file ends inside a length");
            }

            length |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return length <= MaxBatchBytes
                    ? (int)length
                    : throw new InvalidDataException($"feed batch of {length} bytes exceeds {MaxBatchBytes}");
            }
        }

        throw new InvalidDataException("feed file has a malformed length");
    }
}
