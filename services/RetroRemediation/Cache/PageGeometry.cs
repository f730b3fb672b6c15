namespace Gateway.RetroRemediation.Cache;

/// <summary>
/// How an append-only stream is cut into Redis strings ("pages"). Each page is created once at its
/// full size (zeros) and then written in place with SETRANGE, so Redis never grows it: APPEND and
/// growing SETRANGE over-allocate up to twice the length, which would cost more than the data. Sizes
/// are chosen so that the string plus its sds header fills a jemalloc size class exactly.
/// </summary>
internal sealed class PageGeometry
{
    /// <summary>Copy entries: 8 KiB pages (8186 bytes + 6 bytes of sds header and terminator).</summary>
    public static readonly PageGeometry Records = new([8186]);

    /// <summary>
    /// Fingerprint index entries (10 bytes): sizes are multiples of 10, so no entry ever crosses a page,
    /// and start small, so the many buckets of a quiet gateway cost little.
    /// </summary>
    public static readonly PageGeometry Index = new([120, 250, 500, 1010, 2040, 4090, 8180]);

    private readonly int[] _sizes;
    private readonly long[] _starts;

    private PageGeometry(int[] sizes)
    {
        _sizes = sizes;
        _starts = new long[sizes.Length];
        for (var i = 1; i < sizes.Length; i++)
        {
            _starts[i] = _starts[i - 1] + sizes[i - 1];
        }
    }

    /// <summary>The page holding byte <paramref name="offset"/> of the stream.</summary>
    public (long Page, long Start, int Size) Locate(long offset)
    {
        for (var i = 0; i < _sizes.Length - 1; i++)
        {
            if (offset < _starts[i] + _sizes[i])
            {
                return (i, _starts[i], _sizes[i]);
            }
        }

        var last = _sizes.Length - 1;
        var fixedSize = _sizes[last];
        var page = last + (offset - _starts[last]) / fixedSize;
        return (page, _starts[last] + (page - last) * fixedSize, fixedSize);
    }

    /// <summary>
    /// The pages holding the first <paramref name="length"/> bytes of the stream, and how much of each is used.
    /// </summary>
    public IEnumerable<(long Page, long Start, int Used)> Covering(long length)
    {
        for (long offset = 0; offset < length;)
        {
            var (page, start, size) = Locate(offset);
            var used = (int)Math.Min(size, length - start);
            yield return (page, start, used);
            offset = start + size;
        }
    }
}
