using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Gateway.MtaEdge.Smtp.Proxy;

namespace Gateway.MtaEdge.Smtp.Protocol;

/// <summary>
/// The byte level of one SMTP session: command lines and DATA in (System.IO.Pipelines, bounded
/// memory whatever the client sends), replies out. Replies are buffered and flushed only when the
/// client's input is drained, so pipelined replies go out together and in order (RFC 2920 3.2).
/// </summary>
public sealed class SmtpConnection : IAsyncDisposable
{
    // Beyond this much unsent reply text the session flushes before reading on.
    private const int MaxUnflushedBytes = 16 * 1024;

    private static readonly byte[] CrLf = "\r\n"u8.ToArray();

    private readonly Socket _socket;
    private readonly NetworkStream _network;
    private SslStream? _tls;
    private PipeReader _reader;
    private PipeWriter _writer;
    private readonly int _maxLineBytes;
    private readonly StringBuilder _replyText = new();

    // True when everything buffered was examined without a result: the next read must wait for more.
    private bool _needMore;

    // Discarding an over-long command line up to its CRLF; whether the last discarded byte was CR.
    private bool _discarding;
    private bool _discardEndedWithCr;

    public SmtpConnection(Socket socket, int maxCommandLineBytes)
    {
        _socket = socket;
        _maxLineBytes = maxCommandLineBytes;
        _network = new NetworkStream(socket, ownsSocket: true);
        _reader = CreateReader(_network);
        _writer = CreateWriter(_network);
    }

    /// <summary>Octets of message data read so far (for metrics).</summary>
    public long DataBytesRead { get; private set; }

    /// <summary>The TLS session after STARTTLS, or null while the connection is in plaintext.</summary>
    public SslStream? Tls => _tls;

    /// <summary>
    /// Reads the PROXY protocol header that a trusted proxy sends before anything else. Returns the
    /// header, or null with <paramref name="error"/> when the peer sent something else or closed.
    /// Whatever follows the header stays buffered for the session.
    /// </summary>
    public async ValueTask<(ProxyHeader? Header, string Error)> ReadProxyHeaderAsync(
        CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var status = ProxyHeaderParser.TryParse(buffer, out var header, out var consumed, out var error);
            switch (status)
            {
                case ProxyParseStatus.Complete:
                    _reader.AdvanceTo(buffer.GetPosition(consumed));
                    return (header, "");
                case ProxyParseStatus.Invalid:
                    _reader.AdvanceTo(buffer.Start, buffer.End);
                    return (null, error);
            }

            _reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                return (null, "the connection closed before the PROXY header was complete");
            }
        }
    }

    /// <summary>
    /// Waits up to <paramref name="window"/> for the client to send anything, without consuming it.
    /// True when input arrived: before the greeting, that is an early talker.
    /// </summary>
    public async ValueTask<bool> WaitForInputAsync(TimeSpan window, CancellationToken cancellationToken)
    {
        if (_reader.TryRead(out var buffered))
        {
            var any = !buffered.Buffer.IsEmpty;
            _reader.AdvanceTo(buffered.Buffer.Start, buffered.Buffer.Start);
            if (any)
            {
                return true;
            }
        }

        if (_socket.Available > 0)
        {
            return true;
        }

        if (window <= TimeSpan.Zero)
        {
            return false;
        }

        // A zero-byte receive completes when data (or FIN) arrives, and consumes nothing.
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(window);
        try
        {
            await _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, timer.Token);

            // Data, or the client closed (nothing to read): only data counts as talking.
            return _socket.Available > 0;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>
    /// Switches the connection to TLS after the 220 reply to STARTTLS (RFC 3207 section 4): the reply is
    /// sent, then everything the client sent after the STARTTLS line and before the handshake is thrown
    /// away (RFC 3207 section 4.2: the client must not pipeline past STARTTLS; text injected there by a
    /// man in the middle must never run after the handshake). Returns the number of octets discarded.
    /// </summary>
    /// <exception cref="AuthenticationException">The handshake failed.</exception>
    public async ValueTask<int> StartTlsAsync(
        SslServerAuthenticationOptions options, CancellationToken cancellationToken)
    {
        // Discard before the 220 goes out: until the client has it, nothing it sends can be its
        // ClientHello, so all of it is plaintext pipelined behind STARTTLS. After the 220, the
        // next octets may be the handshake and must be left alone.
        var discarded = 0;
        if (_reader.TryRead(out var buffered))
        {
            discarded += (int)Math.Min(buffered.Buffer.Length, int.MaxValue);
            _reader.AdvanceTo(buffered.Buffer.End);
        }

        await _reader.CompleteAsync();
        var scratch = new byte[4096];
        for (var i = 0; i < 16 && _socket.Available > 0; i++)
        {
            var available = Math.Min(_socket.Available, scratch.Length);
            discarded += _socket.Receive(scratch, 0, available, SocketFlags.None);
        }

        await FlushAsync(cancellationToken);
        await _writer.CompleteAsync();

        _discarding = false;
        _discardEndedWithCr = false;
        _needMore = false;

        var tls = new SslStream(_network, leaveInnerStreamOpen: true);
        try
        {
            await tls.AuthenticateAsServerAsync(options, cancellationToken);
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }

        _tls = tls;
        _reader = CreateReader(tls);
        _writer = CreateWriter(tls);
        return discarded;
    }

    /// <summary>
    /// Reads exactly <paramref name="size"/> octets of a BDAT chunk (RFC 3030 section 2) into
    /// <paramref name="decoder"/>, or throws them away when it is null. False when the client went away.
    /// </summary>
    public async ValueTask<bool> ReadChunkAsync(
        long size, ChunkDecoder? decoder, CancellationTokenSource timer, TimeSpan blockTimeout)
    {
        var remaining = size;
        while (remaining > 0)
        {
            timer.CancelAfter(blockTimeout);
            var result = await ReadMoreAsync(timer.Token);
            var buffer = result.Buffer;
            var take = Math.Min(buffer.Length, remaining);
            var chunk = buffer.Slice(0, take);
            if (decoder is not null)
            {
                foreach (var segment in chunk)
                {
                    decoder.Feed(segment.Span);
                }
            }

            remaining -= take;
            DataBytesRead += take;
            _reader.AdvanceTo(chunk.End);

            if (remaining > 0 && result.IsCompleted)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Queues a reply; it is sent at the next flush.</summary>
    public void WriteReply(SmtpReply reply)
    {
        _replyText.Clear();
        reply.WriteTo(_replyText);
        _writer.Write(Encoding.ASCII.GetBytes(_replyText.ToString()));
    }

    /// <summary>
    /// True when so much reply text waits that it must go out now: a client that pipelines without
    /// ever reading must not make the server buffer without bound.
    /// </summary>
    public bool MustFlush => _writer.UnflushedBytes > MaxUnflushedBytes;

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_writer.UnflushedBytes > 0)
        {
            await _writer.FlushAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Reads the next command line. Lines end only with CRLF (RFC 5321 2.3.8); a bare CR or LF stays
    /// inside the line for the caller to refuse. A line longer than the limit is discarded up to its
    /// CRLF without being buffered and reported as <see cref="CommandLineKind.TooLong"/>.
    /// </summary>
    public async ValueTask<CommandLine> ReadCommandAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await ReadMoreAsync(cancellationToken);
            var buffer = result.Buffer;

            if (_discarding)
            {
                if (TryFinishDiscard(ref buffer))
                {
                    return CommandLine.TooLong;
                }
            }
            else
            {
                var reader = new SequenceReader<byte>(buffer);
                if (reader.TryReadTo(out ReadOnlySequence<byte> line, CrLf, advancePastDelimiter: true))
                {
                    // Copy before AdvanceTo: the pipe may reuse the memory after it.
                    var command = line.Length + 2 > _maxLineBytes
                        ? CommandLine.TooLong
                        : new CommandLine(CommandLineKind.Line, line.ToArray());
                    _reader.AdvanceTo(reader.Position);
                    return command;
                }

                if (buffer.Length >= _maxLineBytes)
                {
                    // No CRLF within the limit: whatever follows, the line is too long.
                    _discarding = true;
                    if (TryFinishDiscard(ref buffer))
                    {
                        return CommandLine.TooLong;
                    }
                }
                else
                {
                    _reader.AdvanceTo(buffer.Start, buffer.End);
                    _needMore = true;
                }
            }

            if (result.IsCompleted)
            {
                return CommandLine.EndOfStream;
            }
        }
    }

    /// <summary>
    /// Feeds message data to <paramref name="decoder"/> until it finds the end of data. Returns false
    /// when the client went away first. Whatever follows the end of data stays buffered as commands.
    /// <paramref name="timer"/> is re-armed with <paramref name="blockTimeout"/> before each read.
    /// </summary>
    public async ValueTask<bool> ReadDataAsync(
        DataDecoder decoder, CancellationTokenSource timer, TimeSpan blockTimeout)
    {
        while (true)
        {
            timer.CancelAfter(blockTimeout);
            var result = await ReadMoreAsync(timer.Token);
            var buffer = result.Buffer;
            long consumed = 0;
            var done = false;
            foreach (var segment in buffer)
            {
                var used = decoder.Feed(segment.Span, out done);
                consumed += used;
                if (done)
                {
                    break;
                }
            }

            DataBytesRead += consumed;
            _reader.AdvanceTo(buffer.GetPosition(consumed));
            if (done)
            {
                return true;
            }

            if (result.IsCompleted)
            {
                return false;
            }
        }
    }

    private async ValueTask<ReadResult> ReadMoreAsync(CancellationToken cancellationToken)
    {
        if (!_needMore && _reader.TryRead(out var buffered))
        {
            return buffered;
        }

        _needMore = false;

        // RFC 2920 3.2: flush pending replies before waiting for input. If more input is already
        // waiting in the socket, read it first so the replies to one pipelined group go out together.
        if (_socket.Available == 0)
        {
            await FlushAsync(cancellationToken);
        }

        return await _reader.ReadAsync(cancellationToken);
    }

    /// <summary>Consumes an over-long line up to its CRLF; true once the CRLF has been consumed.</summary>
    private bool TryFinishDiscard(ref ReadOnlySequence<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            _reader.AdvanceTo(buffer.End);
            return false;
        }

        if (_discardEndedWithCr && buffer.FirstSpan[0] == (byte)'\n')
        {
            _discarding = false;
            _discardEndedWithCr = false;
            _reader.AdvanceTo(buffer.GetPosition(1));
            return true;
        }

        var reader = new SequenceReader<byte>(buffer);
        if (reader.TryReadTo(out ReadOnlySequence<byte> _, CrLf, advancePastDelimiter: true))
        {
            _discarding = false;
            _discardEndedWithCr = false;
            _reader.AdvanceTo(reader.Position);
            return true;
        }

        _discardEndedWithCr = buffer.Slice(buffer.Length - 1).FirstSpan[0] == (byte)'\r';
        _reader.AdvanceTo(buffer.End);
        return false;
    }

    /// <summary>Reads and drops what the client already sent (at most 64 KiB); allocates nothing when none.</summary>
    private void DrainWaitingInput()
    {
        if (_socket.Available == 0)
        {
            return;
        }

        Span<byte> scratch = stackalloc byte[4096];
        for (var i = 0; i < 16 && _socket.Available > 0; i++)
        {
            _socket.Receive(scratch, SocketFlags.None);
        }
    }

    private static PipeReader CreateReader(Stream stream) =>
        PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, leaveOpen: true));

    private static PipeWriter CreateWriter(Stream stream) =>
        PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));

    public async ValueTask DisposeAsync()
    {
        // Send FIN after the replies already written, then drop input that is already waiting:
        // closing with unread input makes the kernel send RST, and the client could lose the
        // last reply (a 421 or 221) before reading it.
        if (_tls is not null)
        {
            try
            {
                // TLS close_notify first (RFC 8446 6.1), so the client sees a clean end, not a truncation.
                await _tls.ShutdownAsync().WaitAsync(TimeSpan.FromSeconds(1));
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException
                                           or InvalidOperationException or TimeoutException)
            {
                // The client is gone or not reading.
            }
        }

        try
        {
            _socket.Shutdown(SocketShutdown.Send);
            DrainWaitingInput();
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed by the peer.
        }

        try
        {
            await _reader.CompleteAsync();
            await _writer.CompleteAsync();
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException
                                       or InvalidOperationException)
        {
            // The peer is gone; nothing left to send.
        }

        if (_tls is not null)
        {
            await _tls.DisposeAsync();
        }

        await _network.DisposeAsync();
    }
}
