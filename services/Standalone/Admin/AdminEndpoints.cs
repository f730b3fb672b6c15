using Gateway.Contracts;
using Gateway.V1;
using Google.Protobuf;
using Microsoft.Extensions.Options;

namespace Gateway.Standalone.Admin;

/// <summary>The admin HTTP API that gatewayctl talks to; the contract is in protos/gateway/v1/admin.proto.</summary>
public static class AdminEndpoints
{
    public static WebApplication MapAdminApi(this WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Text("ok\n"));

        // /metrics is served by prometheus-net, not a route handler, so the endpoint filter cannot guard it: once a
        // token is set (required off loopback), scrapers send it too (Prometheus: authorization credentials_file).
        app.Use(async (context, next) =>
        {
            var filter = context.RequestServices.GetRequiredService<AdminTokenFilter>();
            if (context.Request.Path.StartsWithSegments("/metrics") && !filter.IsAuthorized(context))
            {
                await AdminResults.Error(StatusCodes.Status401Unauthorized, "a valid bearer token is required")
                    .ExecuteAsync(context);
                return;
            }

            await next(context);
        });

        var api = app.MapGroup("/api/v1").AddEndpointFilter<AdminTokenFilter>();

        api.MapPost("/report/{kind}", async (string kind, HttpRequest request, IFingerprintFilter filter,
            IOptions<AdminOptions> options, CancellationToken cancellationToken) =>
        {
            var reportKind = kind switch
            {
                "spam" => ReportKind.Spam,
                "ham" => ReportKind.Ham,
                _ => ReportKind.Unspecified,
            };
            if (reportKind == ReportKind.Unspecified)
            {
                return AdminResults.Error(StatusCodes.Status404NotFound, $"unknown report kind '{kind}': use spam or ham");
            }

            var body = await ReadMessageAsync(request, options.Value.MaxMessageBytes, cancellationToken);
            if (body.Error is not null)
            {
                return body.Error;
            }

            var result = await filter.ReportAsync(
                new ReportRequest { Kind = reportKind, Message = body.Message, Source = "admin" }, cancellationToken);
            return AdminResults.Json(result);
        });

        api.MapPost("/deliveries", async (HttpRequest request, IFingerprintFilter filter, IRetroRemediation remediation,
            IOptions<AdminOptions> options, CancellationToken cancellationToken) =>
        {
            var body = await ReadMessageAsync(request, options.Value.MaxMessageBytes, cancellationToken);
            if (body.Error is not null)
            {
                return body.Error;
            }

            var fingerprints = await filter.FingerprintAsync(new FingerprintRequest { Message = body.Message }, cancellationToken);
            var lookup = new DeliveriesLookup { Message = fingerprints };
            if (fingerprints.Fingerprints.Count > 0)
            {
                var request1 = new FindDeliveriesRequest();
                request1.Fingerprints.AddRange(fingerprints.Fingerprints);
                var found = await remediation.FindDeliveriesAsync(request1, cancellationToken);
                lookup.Copies.AddRange(found.Copies);
            }

            return AdminResults.Json(lookup);
        });

        api.MapQueueApi();
        api.MapRemediationApi();
        api.MapSenderApi();

        return app;
    }

    private static async Task<(ByteString Message, IResult? Error)> ReadMessageAsync(
        HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return (ByteString.Empty, AdminResults.Error(StatusCodes.Status413PayloadTooLarge,
                    $"the message is larger than the limit of {maxBytes} bytes"));
            }

            buffer.Write(chunk, 0, read);
        }

        var bytes = MboxSeparator.Strip(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        if (bytes.IsEmpty)
        {
            return (ByteString.Empty, AdminResults.Error(StatusCodes.Status400BadRequest,
                "the request body is empty: send the raw RFC 5322 message"));
        }

        return (ByteString.CopyFrom(bytes), null);
    }
}
