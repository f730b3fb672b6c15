using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Gateway.Common.Security;

/// <summary>
/// A shared bearer token, given inline or as a file. A file is read again at most every few seconds and its
/// token replaces the old one when it differs, so a rotated Kubernetes Secret (a symlink swap, which leaves the
/// link's own time alone) or a rewrite that keeps the file's time takes effect without a restart. A file that
/// cannot be used any more (gone, empty, too short) keeps the last good token and is reported once per problem.
/// The value never leaves this type except as the header a client sends.
/// </summary>
public sealed class BearerToken
{
    /// <summary>Shortest token accepted: anything shorter is guessable.</summary>
    public const int MinLength = 16;

    /// <summary>Longest token file read: a token is one line, not a document.</summary>
    private const int MaxFileBytes = 4096;

    private static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(5);

    private readonly string? _file;
    private readonly ILogger? _logger;
    private readonly Lock _gate = new();
    private State _state;
    private long _nextCheck;
    private string? _lastProblem;

    private BearerToken(string? file, State state, ILogger? logger)
    {
        _file = file;
        _state = state;
        _logger = logger;
        _nextCheck = Stopwatch.GetTimestamp() + (long)(RecheckInterval.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>The token from <paramref name="inline"/> or <paramref name="file"/>; null when neither is set.
    /// Throws when the file cannot be read or the token is too short. <paramref name="logger"/> hears of a file
    /// that later stops being usable.</summary>
    public static BearerToken? Create(string? inline, string? file, ILogger? logger = null)
    {
        if (!string.IsNullOrEmpty(file))
        {
            return new BearerToken(file, ReadFile(file), logger);
        }

        return string.IsNullOrEmpty(inline) ? null : new BearerToken(null, State.Of(inline.Trim()), null);
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
                    // Read, not stat: a symlink swap or a time-preserving copy changes the token but not the
                    // link's write time. At most 4 KiB every few seconds.
                    var fresh = ReadFile(_file);
                    if (!CryptographicOperations.FixedTimeEquals(fresh.Hash, _state.Hash))
                    {
                        Volatile.Write(ref _state, fresh);
                        if (_logger is not null)
                        {
                            BearerTokenLog.Replaced(_logger, _file);
                        }
                    }

                    _lastProblem = null;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException
                                               or InvalidDataException)
                {
                    // Mid-rotation the file can be briefly absent or empty: keep the last good token, and say
                    // so once (a file removed for good does not revoke the token by itself).
                    if (ex.Message != _lastProblem)
                    {
                        _lastProblem = ex.Message;
                        if (_logger is not null)
                        {
                            BearerTokenLog.FileUnusable(_logger, _file, ex.Message);
                        }
                    }
                }

                return _state;
            }
        }
    }

    private static State ReadFile(string path)
    {
        using var stream = File.OpenRead(path);
        var buffer = new byte[MaxFileBytes + 1];
        var length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (length > MaxFileBytes)
        {
            throw new InvalidDataException($"the file is longer than {MaxFileBytes} bytes.");
        }

        var text = Encoding.UTF8.GetString(buffer, 0, length);
        var newline = text.IndexOfAny(['\r', '\n']);
        return State.Of((newline < 0 ? text : text[..newline]).Trim());
    }

    private sealed record State(string Value, byte[] Hash)
    {
        public static State Of(string value)
        {
            if (value.Length < MinLength)
            {
                throw new InvalidDataException($"the token must be at least {MinLength} characters long.");
            }

            if (value.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
            {
                throw new InvalidDataException("the token must be one word of printable characters.");
            }

            return new State(value, SHA256.HashData(Encoding.UTF8.GetBytes(value)));
        }

        // The default record ToString would print the token.
        public override string ToString() => nameof(State);
    }
}
