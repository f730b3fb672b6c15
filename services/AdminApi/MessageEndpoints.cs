using Gateway.Contracts;
using Gateway.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gateway.AdminApi;

/// <summary>
/// The message part of the admin API (protos/gateway/v1/admin.proto), behind <c>gatewayctl report</c> and
/// <c>gatewayctl deliveries</c>; the body is the raw message.
/// <code>
///   POST /api/v1/report/spam|ham   -> ReportResult (the filter learns; in-process, remediation's summary too)
///   POST /api/v1/deliveries        -> DeliveriesLookup (its fingerprints and the delivered copies carrying them)
/// </code>
/// </summary>
public static class MessageEndpoints
{
    public static RouteGroupBuilder MapMessageApi(this RouteGroupBuilder api, int maxMessageBytes)
    {
        api.MapPost("/report/{kind}", async (string kind, HttpRequest request, IFingerprintFilter filter,
            CancellationToken cancellationToken) =>
        {
            var reportKind = kind switch
            {
                "spam" => ReportKind.Spam,
                "ham" => ReportKind.Ham,
                _ => ReportKind.Unspecified,
            };
            if (reportKind == ReportKind.Unspecified)
            {
                return AdminResults.Error(StatusCodes.Status404NotFound,
                    $"unknown report kind '{Printable(kind)}': use spam or ham");
            }

            var (message, error) = await AdminRequestBody.ReadMessageAsync(request, maxMessageBytes, cancellationToken);
            return error ?? await AdminFailures.AnswerAsync(
                () => filter.ReportAsync(
                    new ReportRequest { Kind = reportKind, Message = message, Source = "admin" }, cancellationToken),
                r => AdminResults.Json(r));
        });

        api.MapPost("/deliveries", async (HttpRequest request, IFingerprintFilter filter,
            IRetroRemediation remediation, CancellationToken cancellationToken) =>
        {
            var (message, error) = await AdminRequestBody.ReadMessageAsync(request, maxMessageBytes, cancellationToken);
            return error ?? await AdminFailures.AnswerAsync(async () =>
            {
                var fingerprints = await filter.FingerprintAsync(
                    new FingerprintRequest { Message = message }, cancellationToken);
                var lookup = new DeliveriesLookup { Message = fingerprints };
                if (fingerprints.Fingerprints.Count > 0)
                {
                    // The groups carry the fuzzy digests' match rule, so the lookup finds what a conviction would.
                    var find = new FindDeliveriesRequest();
                    find.Fingerprints.AddRange(fingerprints.Fingerprints);
                    find.Groups.AddRange(fingerprints.Groups);
                    lookup.Copies.AddRange((await remediation.FindDeliveriesAsync(find, cancellationToken)).Copies);
                }

                return lookup;
            }, r => AdminResults.Json(r));
        });

        return api;
    }

    private static string Printable(string value) =>
        new(value.Take(64).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
