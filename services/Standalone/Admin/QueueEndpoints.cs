using Gateway.AdminApi;
using Gateway.MtaEdge.Admin;
using Gateway.V1;

namespace Gateway.Standalone.Admin;

/// <summary>
/// Queue administration in the admin API; the contract is in protos/gateway/v1/queue_admin.proto.
/// Replaces the earlier <c>GET /api/v1/queue</c> (which returned only <see cref="QueueStatus"/>; the
/// listing still carries it as <c>status</c>).
/// </summary>
public static class QueueEndpoints
{
    private const int DefaultLimit = 100;

    public static RouteGroupBuilder MapQueueApi(this RouteGroupBuilder api)
    {
        api.MapGet("/queue", (string? state, int? limit, QueueAdministrator queue) =>
        {
            if (!QueueAdministrator.TryParseState(state, out var filter))
            {
                return AdminResults.Error(StatusCodes.Status400BadRequest,
                    $"unknown state '{Printable(state)}': use new, active or deferred");
            }

            if (limit is < 1 or > QueueAdministrator.MaxListed)
            {
                return AdminResults.Error(StatusCodes.Status400BadRequest,
                    $"limit must be between 1 and {QueueAdministrator.MaxListed}");
            }

            return AdminResults.Json(queue.List(filter, limit ?? DefaultLimit));
        });

        api.MapGet("/queue/{queueId}", (string queueId, QueueAdministrator queue) =>
            queue.Show(queueId) is { } info ? AdminResults.Json(info) : NotQueued(queueId));

        api.MapPost("/queue/retry", (QueueAdministrator queue) =>
            AdminResults.Json(new QueueActionResult { Action = "retry", Count = queue.RetryAll() }));

        api.MapPost("/queue/{queueId}/retry", (string queueId, QueueAdministrator queue) =>
            Outcome("retry", queueId, queue.Retry(queueId)));

        api.MapDelete("/queue/{queueId}", (string queueId, QueueAdministrator queue) =>
            Outcome("delete", queueId, queue.Delete(queueId)));

        return api;
    }

    private static IResult Outcome(string action, string queueId, QueueOperationOutcome outcome) => outcome switch
    {
        QueueOperationOutcome.Done => AdminResults.Json(new QueueActionResult
        {
            Action = action, QueueId = queueId, Count = 1,
        }),
        QueueOperationOutcome.Busy => AdminResults.Error(StatusCodes.Status409Conflict,
            $"{queueId} is being delivered right now; try again in a moment"),
        _ => NotQueued(queueId),
    };

    private static IResult NotQueued(string queueId) =>
        AdminResults.Error(StatusCodes.Status404NotFound, $"no message {Printable(queueId)} in the queue");

    /// <summary>Client text echoed in an error: printable ASCII only, bounded.</summary>
    private static string Printable(string? text) =>
        new((text ?? "").Take(64).Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray());
}
