using System.Globalization;
using Gateway.Contracts;
using Gateway.V1;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gateway.AdminApi;

/// <summary>
/// The remediation part of the admin API (protos/gateway/v1/remediation_admin.proto), behind
/// <c>gatewayctl remediation list|show</c>. Mapped into the <c>/api/v1</c> group, so the admin token applies.
/// </summary>
public static class RemediationEndpoints
{
    private const int MaxLimit = 10_000;
    private const int MaxIdLength = 1000;

    public static RouteGroupBuilder MapRemediationApi(this RouteGroupBuilder api)
    {
        // GET /api/v1/remediation/actions?since=<RFC 3339>&limit=<n>: audit entries, newest first.
        api.MapGet("/remediation/actions", async (
            string? since, string? limit, IRemediationQueries queries, CancellationToken cancellationToken) =>
        {
            var request = new ListActionsRequest();
            if (!string.IsNullOrEmpty(since))
            {
                if (!DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture,
                        DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var from))
                {
                    return AdminResults.Error(StatusCodes.Status400BadRequest,
                        $"since must be an RFC 3339 time such as 2025-12-04T10:00:00Z, not '{Shorten(since)}'");
                }

                request.Since = Timestamp.FromDateTimeOffset(from);
            }

            if (!string.IsNullOrEmpty(limit))
            {
                if (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                    || n is < 1 or > MaxLimit)
                {
                    return AdminResults.Error(StatusCodes.Status400BadRequest,
                        $"limit must be a whole number from 1 to {MaxLimit}, not '{Shorten(limit)}'");
                }

                request.Limit = n;
            }

            return await AdminFailures.AnswerAsync(() => queries.ListActionsAsync(request, cancellationToken), reply =>
            {
                var page = new RemediationActionsPage { Truncated = reply.Truncated, Pending = reply.Pending };
                page.Actions.AddRange(reply.Entries);
                return AdminResults.Json(page);
            });
        });

        // GET /api/v1/remediation/copies?id=<copy id or Message-ID>: a query parameter, because
        // Message-IDs may hold '/' and other characters a path segment would not carry intact.
        api.MapGet("/remediation/copies", async (
            string? id, IRemediationQueries queries, CancellationToken cancellationToken) =>
        {
            if (string.IsNullOrWhiteSpace(id) || id.Length > MaxIdLength)
            {
                return AdminResults.Error(StatusCodes.Status400BadRequest,
                    "id must be a copy id (such as t5h2k0-3fa) or a Message-ID");
            }

            return await AdminFailures.AnswerAsync(
                () => queries.ShowCopyAsync(new ShowCopyRequest { Id = id }, cancellationToken), reply =>
                {
                    var report = new RemediationCopyReport { Query = reply.Query };
                    report.Copies.AddRange(reply.Copies);
                    report.Actions.AddRange(reply.Actions);
                    return AdminResults.Json(report);
                });
        });

        return api;
    }

    private static string Shorten(string value) =>
        new(value.Take(64).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
