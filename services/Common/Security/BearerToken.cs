using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Common.Security;

/// <summary>
/// A shared bearer token, given inline or as a file. A file is looked at again at most every few seconds and
/// re-read when its write time changes, so a rotated Kubernetes Secret takes effect without a restart. The
/// value never leaves this type except as the header a client sends.
/// </summary>
public sealed class BearerToken
{
    /// <summary>Shortest token accepted: anything shorter is guessable.</summary>
    public const int MinLength = 16;

    /// <summary>Longest token file read: a token is one line, not a document.</summary>
    private const int MaxFileBytes = 4096;

    private static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(5);

    private readonly string? _file;
    private readonly Lock _gate = new();
    private State _state;
    private long _nextCheck;

    private BearerToken(string? file, State state)
    {
        _file = file;
        _state = state;
        _nextCheck = Stopwatch.GetTimestamp() + (long)(RecheckInterval.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>The token from <paramref name="inline"/> or <paramref name="file"/>; null when neither is set.
    /// Throws when the file cannot be read or the token is too short.</summary>
    public static BearerToken? Create(string? inline, string? file)
    {
        if (!string.IsNullOrEmpty(file))
        {
            return new BearerToken(file, ReadFile(file));
        }

        return string.IsNullOrEmpty(inline) ? null : new BearerToken(null, State.Of(inline.Trim(), default));
    }

    /// <summary>Why <paramref name="inline"/>/<paramref name="file"/> cannot make a token (named by
    /// <paramref name="keys"/>), or null when they can or are both unset.</summary>
    public static string? Problem(string? inline, string? file, string keys)
    {
        if (!string.IsNullOrEmpty(inline) && !string.IsNullOrEmpty(file))
        {
            return $"set {keys}Token or {keys}TokenFile, not both.";
        }

        try
        {
            _ = Create(inline, file);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return $"{(string.IsNullOrEmpty(file) ? keys + "Token" : keys + "TokenFile")}: {ex.Message}";
        }
    }

    /// <summary>The <c>authorization</c> header value a client sends.</summary>
    public string HeaderValue => "Bearer " + Current.Value;

    /// <summary>
    /// Whether <paramref name="presented"/> is the token. Both sides are hashed first and compared in constant
    /// time, so neither the time taken nor an early length mismatch tells a guesser anything.
    /// </summary>
    public bool Matches(string presented)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var bytes = Encoding.UTF8.GetBytes(presented);
        SHA256.HashData(bytes, hash);
        return CryptographicOperations.FixedTimeEquals(hash, Current.Hash);
    }

    private State Current
    {
        get
        {
            if (_file is null || Stopwatch.GetTimestamp() < Volatile.Read(ref _nextCheck))
            {
                return Volatile.Read(ref _state);
            }

            lock (_gate)
            {
                Volatile.Write(ref _nextCheck,
                    Stopwatch.GetTimestamp() + (long)(RecheckInterval.TotalSeconds * Stopwatch.Frequency));
                try
                {
                    if (File.GetLastWriteTimeUtc(_file) != _state.Written)
                    {
                        Volatile.Write(ref _state, ReadFile(_file));
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException
                                               or InvalidDataException)
                {
                    // Mid-rotation the file can be briefly absent or empty: keep the last good token.
                }

                return _state;
            }
        }
    }

    private static State ReadFile(string path)
    {
        var written = File.GetLastWriteTimeUtc(path);
        using var stream = File.OpenRead(path);
        var buffer = new byte[MaxFileBytes + 1];
        var length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (length > MaxFileBytes)
        {
            throw new InvalidDataException($"the file is longer than {MaxFileBytes} bytes.");
        }

        var text = Encoding.UTF8.GetString(buffer, 0, length);
        var newline = text.IndexOfAny(['\r', '\n']);
        return State.Of((newline < 0 ? text : text[..newline]).Trim(), written);
    }

    private sealed record State(string Value, byte[] Hash, DateTime Written)
    {
        public static State Of(string value, DateTime written)
        {
            if (value.Length < MinLength)
            {
                throw new InvalidDataException($"the token must be at least {MinLength} characters long.");
            }

            if (value.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
            {
                throw new InvalidDataException("the token must be one word of printable characters.");
            }

            return new State(value, SHA256.HashData(Encoding.UTF8.GetBytes(value)), written);
        }

        // The default record ToString would print the token.
        public override string ToString() => nameof(State);
    }
}
