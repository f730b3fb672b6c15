using Gateway.Contracts;
using Gateway.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gateway.AdminApi;

/// <summary>
/// The sender intelligence part of the admin API, for <c>gatewayctl sender</c>. Answers are
/// <see cref="SenderProfile"/> in the proto3 JSON mapping; request bodies are the RPC messages in the same mapping.
/// <code>
///   GET  /api/v1/sender?subject=192.0.2.0/24                              -> SenderProfile
///   POST /api/v1/sender/approve  {"subject":..,"until":..,"reason":..}    -> SenderProfile
///   POST /api/v1/sender/block    {"subject":..,"until":..,"reason":..}    -> SenderProfile
///   POST /api/v1/sender/reset    {"subject":..,"reason":..}               -> SenderProfile
///   errors: 400 (bad subject, date or body), 503 (the tier or its store cannot answer now), with ApiError
/// </code>
/// </summary>
public static class SenderEndpoints
{
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

    private static Task<IResult> AnswerAsync(Func<Task<SenderProfile>> call) =>
        AdminFailures.AnswerAsync(call, r => AdminResults.Json(r));

    private static Task<(T? Body, IResult? Error)> ReadAsync<T>(HttpRequest request,
        CancellationToken cancellationToken)
        where T : class, Google.Protobuf.IMessage<T>, new() =>
        AdminRequestBody.ReadJsonAsync<T>(request, cancellationToken);

    /// <summary>
    /// Who asked, for the sender's history: the client's own word, else the API and the peer address.
    /// </summary>
    private static string Actor(string given, HttpRequest request) =>
        string.IsNullOrWhiteSpace(given)
            ? "admin-api@" + (request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown")
            : given;
}
