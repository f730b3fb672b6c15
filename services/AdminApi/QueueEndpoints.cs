using Gateway.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gateway.AdminApi;

/// <summary>
/// Queue administration in the admin API, the same routes and JSON for the standalone gateway and a cluster
/// edge; the contract is in protos/gateway/v1/queue_admin.proto. The listing carries the queue's
/// <see cref="QueueStatus"/> as <c>status</c> (the earlier <c>GET /api/v1/queue</c> returned only that).
/// </summary>
public static class QueueEndpoints
{
    /// <summary>Messages listed at most, whatever is asked.</summary>
    public const int MaxListed = 10_000;

    private const int DefaultLimit = 100;

    public static RouteGroupBuilder MapQueueApi(this RouteGroupBuilder api)
    {
        api.MapGet("/queue", async Task<IResult> (string? state, int? limit, IQueueAdministration queue,
            CancellationToken cancellationToken) =>
        {
            if (!TryParseState(state, out var filter))
            {
                return AdminResults.Error(StatusCodes.Status400BadRequest,
                    $"unknown state '{Printable(state)}': use new, active, deferred or all");
            }

            if (limit is < 1 or > MaxListed)
            {
                return AdminResults.Error(StatusCodes.Status400BadRequest,
                    $"limit must be between 1 and {MaxListed}");
            }

            return await AdminFailures.AnswerAsync(
                () => queue.ListAsync(filter, limit ?? DefaultLimit, cancellationToken),
                listing => AdminResults.Json(listing));
        });

        // A queue kept in Redis (cluster) may be unreachable: 503 through AdminFailures, as for the tiers.
        api.MapGet("/queue/{queueId}", (string queueId, IQueueAdministration queue,
            CancellationToken cancellationToken) =>
            AdminFailures.AnswerAsync(() => queue.ShowAsync(queueId, cancellationToken),
                info => info is null ? NotQueued(queueId) : AdminResults.Json(info)));

        api.MapPost("/queue/retry", (IQueueAdministration queue, CancellationToken cancellationToken) =>
            AdminFailures.AnswerAsync(() => queue.RetryAllAsync(cancellationToken),
                count => AdminResults.Json(new QueueActionResult { Action = "retry", Count = count })));

        api.MapPost("/queue/{queueId}/retry", (string queueId, IQueueAdministration queue,
            CancellationToken cancellationToken) =>
            AdminFailures.AnswerAsync(() => queue.RetryAsync(queueId, cancellationToken),
                outcome => Outcome("retry", queueId, outcome)));

        api.MapDelete("/queue/{queueId}", (string queueId, IQueueAdministration queue,
            CancellationToken cancellationToken) =>
            AdminFailures.AnswerAsync(() => queue.DeleteAsync(queueId, cancellationToken),
                outcome => Outcome("delete", queueId, outcome)));

        return api;
    }

    /// <summary>Parses a state filter: "new", "active", "deferred", or "" / "all" for all.</summary>
    public static bool TryParseState(string? text, out QueuedMessageState state)
    {
        state = (text ?? "").Trim().ToLowerInvariant() switch
        {
            "" or "all" => QueuedMessageState.Unspecified,
            "new" => QueuedMessageState.New,
            "active" => QueuedMessageState.Active,
            "deferred" => QueuedMessageState.Deferred,
            _ => (QueuedMessageState)(-1),
        };
        return (int)state >= 0;
    }

    private static IResult Outcome(string action, string queueId, QueueActionOutcome outcome) => outcome switch
    {
        QueueActionOutcome.Done => AdminResults.Json(new QueueActionResult
        {
            Action = action, QueueId = queueId, Count = 1,
        }),
        QueueActionOutcome.Busy => AdminResults.Error(StatusCodes.Status409Conflict,
            $"{queueId} is being delivered right now; try again in a moment"),
        QueueActionOutcome.Unavailable => AdminResults.Error(StatusCodes.Status503ServiceUnavailable,
            $"{queueId} cannot be read back from the queue right now; try again later"),
        _ => NotQueued(queueId),
    };

    private static IResult NotQueued(string queueId) =>
        AdminResults.Error(StatusCodes.Status404NotFound, $"no message {Printable(queueId)} in the queue");

    /// <summary>Client text echoed in an error: printable ASCII only, bounded.</summary>
    private static string Printable(string? text) =>
        new((text ?? "").Take(64).Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray());
}
