using System.Text;

namespace Gateway.SenderIntelligence.Postfix;

/// <summary>
/// Reads LF-terminated lines (a trailing CR is dropped) from a stream with a bound on each line's length, so a
/// peer that never sends a newline cannot make us buffer without end.
/// </summary>
internal sealed class PolicyLineReader
{
    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[8192];
    private int _start;
    private int _end;

    public PolicyLineReader(Stream stream)
    {
        _stream = stream;
    }

    /// <summary>The next line, or null at the end of the stream.</summary>
    /// <exception cref="InvalidDataException">A line is longer than <paramref name="maxBytes"/>.</exception>
    public async Task<string?> ReadLineAsync(int maxBytes, CancellationToken cancellationToken)
    {
        var line = new MemoryStream();
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            var take = (newline >= 0 ? newline : _end) - _start;
            if (line.Length + take > maxBytes)
            {
                throw new InvalidDataException($"a request line is longer than {maxBytes} bytes");
            }

            line.Write(_buffer, _start, take);
            if (newline >= 0)
            {
                _start = newline + 1;
                var bytes = line.GetBuffer().AsSpan(0, (int)line.Length);
                if (bytes.Length > 0 && bytes[^1] == '\r')
                {
                    bytes = bytes[..^1];
                }

                return Encoding.UTF8.GetString(bytes);
            }

            _start = 0;
            _end = await _stream.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
            if (_end == 0)
            {
                return null;
            }
        }
    }
}
