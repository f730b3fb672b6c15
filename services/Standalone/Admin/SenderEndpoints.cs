using Gateway.Contracts;
using Gateway.V1;
using Google.Protobuf;
using StackExchange.Redis;

namespace Gateway.Standalone.Admin;

/// <summary>
/// The sender intelligence part of the admin API, for <c>gatewayctl sender</c>. Answers are
/// <see cref="SenderProfile"/> in the proto3 JSON mapping; request bodies are the RPC messages in the same mapping.
/// <code>
///   GET  /api/v1/sender?subject=192.0.2.0/24                              -> SenderProfile
///   POST /api/v1/sender/approve  {"subject":..,"until":..,"reason":..}    -> SenderProfile
///   POST /api/v1/sender/block    {"subject":..,"until":..,"reason":..}    -> SenderProfile
///   POST /api/v1/sender/reset    {"subject":..,"reason":..}               -> SenderProfile
///   errors: 400 (bad subject, date or body), 503 (the shared store is unavailable), with ApiError
/// </code>
/// </summary>
public static class SenderEndpoints
{
    private const int MaxBodyBytes = 64 * 1024;

    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    public static RouteGroupBuilder MapSenderApi(this RouteGroupBuilder api)
    {
        api.MapGet("/sender", (string? subject, ISenderIntelligence sender, CancellationToken cancellationToken) =>
            AnswerAsync(() => sender.GetProfileAsync(
                new SenderProfileRequest { Subject = subject ?? "" }, cancellationToken)));

        api.MapPost("/sender/approve", async (HttpRequest request, ISenderIntelligence sender,
            CancellationToken cancellationToken) =>
        {
            var (body, error) = await ReadAsync<ApproveSenderRequest>(request, cancellationToken);
            if (body is null)
            {
                return error!;
            }

            body.Actor = Actor(body.Actor, request);
            return await AnswerAsync(() => sender.ApproveSenderAsync(body, cancellationToken));
        });

        api.MapPost("/sender/block", async (HttpRequest request, ISenderIntelligence sender,
            CancellationToken cancellationToken) =>
        {
            var (body, error) = await ReadAsync<BlockSenderRequest>(request, cancellationToken);
            if (body is null)
            {
                return error!;
            }

            body.Actor = Actor(body.Actor, request);
            return await AnswerAsync(() => sender.BlockSenderAsync(body, cancellationToken));
        });

        api.MapPost("/sender/reset", async (HttpRequest request, ISenderIntelligence sender,
            CancellationToken cancellationToken) =>
        {
            var (body, error) = await ReadAsync<ResetSenderRequest>(request, cancellationToken);
            if (body is null)
            {
                return error!;
            }

            body.Actor = Actor(body.Actor, request);
            return await AnswerAsync(() => sender.ResetSenderAsync(body, cancellationToken));
        });

        return api;
    }

    private static async Task<IResult> AnswerAsync(Func<Task<SenderProfile>> call)
    {
        try
        {
            return AdminResults.Json(await call());
        }
        catch (ArgumentException e)
        {
            return AdminResults.Error(StatusCodes.Status400BadRequest, e.Message);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return AdminResults.Error(StatusCodes.Status503ServiceUnavailable,
                "the shared store (Redis) is unavailable; try again");
        }
    }

    private static async Task<(T? Body, IResult? Error)> ReadAsync<T>(HttpRequest request,
        CancellationToken cancellationToken)
        where T : class, IMessage<T>, new()
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return (null, AdminResults.Error(StatusCodes.Status413PayloadTooLarge,
                    $"the request is larger than {MaxBodyBytes} bytes"));
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            return (Parser.Parse<T>(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length)),
                null);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException
            or InvalidOperationException)
        {
            return (null, AdminResults.Error(StatusCodes.Status400BadRequest,
                $"the request body is not a {typeof(T).Name} in JSON: {e.Message}"));
        }
    }

    /// <summary>
    /// Who asked, for the sender's history: the client's own word, else the API and the peer address.
    /// </summary>
    private static string Actor(string given, HttpRequest request) =>
        string.IsNullOrWhiteSpace(given)
            ? "admin-api@" + (request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown")
            : given;
}
