using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.AdminApi;

/// <summary>Reads request bodies of the admin API within a size limit: raw messages, or RPC messages in JSON.</summary>
public static class AdminRequestBody
{
    private const int MaxJsonBytes = 64 * 1024;

    /// <summary>
    /// Largest header section of a reported message: the edge takes at most 256 KiB, and a mailbox store adds a
    /// little; more is not a message the gateway delivered, and fingerprinting it would only burn CPU.
    /// </summary>
    public const int MaxHeaderBytes = 1024 * 1024;

    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    /// <summary>A raw RFC 5322 message (an mbox "From " line in front is dropped), or the error to answer.</summary>
    public static async Task<(ByteString Message, IResult? Error)> ReadMessageAsync(
        HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        var (bytes, error) = await ReadAsync(request, maxBytes, "message", cancellationToken);
        if (error is not null)
        {
            return (ByteString.Empty, error);
        }

        var message = MboxSeparator.Strip(bytes.Span);
        if (message.IsEmpty)
        {
            return (ByteString.Empty, AdminResults.Error(StatusCodes.Status400BadRequest,
                "the request body is empty: send the raw RFC 5322 message"));
        }

        var head = message[..Math.Min(message.Length, MaxHeaderBytes)];
        if (message.Length > MaxHeaderBytes && head.IndexOf("\n\r\n"u8) < 0 && head.IndexOf("\n\n"u8) < 0)
        {
            return (ByteString.Empty, AdminResults.Error(StatusCodes.Status413PayloadTooLarge,
                $"the message's header section is larger than {MaxHeaderBytes} bytes"));
        }

        return (ByteString.CopyFrom(message), null);
    }

    /// <summary>An RPC message in the proto3 JSON mapping, or the error to answer.</summary>
    public static async Task<(T? Body, IResult? Error)> ReadJsonAsync<T>(
        HttpRequest request, CancellationToken cancellationToken)
        where T : class, IMessage<T>, new()
    {
        var (bytes, error) = await ReadAsync(request, MaxJsonBytes, "request", cancellationToken);
        if (error is not null)
        {
            return (null, error);
        }

        try
        {
            return (Parser.Parse<T>(System.Text.Encoding.UTF8.GetString(bytes.Span)), null);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException
            or InvalidOperationException)
        {
            return (null, AdminResults.Error(StatusCodes.Status400BadRequest,
                $"the request body is not a {typeof(T).Name} in JSON: {e.Message}"));
        }
    }

    private static async Task<(ReadOnlyMemory<byte> Bytes, IResult? Error)> ReadAsync(
        HttpRequest request, int maxBytes, string what, CancellationToken cancellationToken)
    {
        // Kestrel's own body limit (30 MB by default) would cut larger configured limits with a bare 413.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes + 1L;
        }

        var tooLarge = AdminResults.Error(StatusCodes.Status413PayloadTooLarge,
            $"the {what} is larger than the limit of {maxBytes} bytes");
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        try
        {
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return (ReadOnlyMemory<byte>.Empty, tooLarge);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // A Content-Length over the limit: Kestrel refuses before the first byte is read.
            return (ReadOnlyMemory<byte>.Empty, tooLarge);
        }

        return (buffer.ToArray(), null);
    }
}
