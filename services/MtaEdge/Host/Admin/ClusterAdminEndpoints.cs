using System.Security.Cryptography;
using System.Text;
using Gateway.Contracts;
using Gateway.MtaEdge.Queue;
using Gateway.V1;
using Google.Protobuf;
using Microsoft.Extensions.Options;

namespace Gateway.MtaEdge.Host.Admin;

/// <summary>
/// The admin API gatewayctl speaks (protos/gateway/v1/admin.proto) on the edge's HTTP listener: reports go to
/// the fingerprint filter over gRPC (remediation then follows through Kafka, so the reply carries no
/// remediation summary), lookups to retro-remediation, the queue from Kafka.
/// </summary>
public static class ClusterAdminEndpoints
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public static WebApplication MapClusterAdminApi(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ClusterAdminOptions>>().Value;
        var token = options.ResolveToken() is { } t ? Encoding.UTF8.GetBytes(t) : null;
        var api = app.MapGroup("/api/v1").AddEndpointFilter(async (context, next) =>
        {
            if (token is null)
            {
                return await next(context);
            }

            var header = context.HttpContext.Request.Headers.Authorization.ToString();
            var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                ? Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim())
                : [];

            // Constant time, so response times say nothing about how much of a guess was right.
            return CryptographicOperations.FixedTimeEquals(presented, token)
                ? await next(context)
                : Error(StatusCodes.Status401Unauthorized, "a valid bearer token is required");
        });

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
                return Error(StatusCodes.Status404NotFound, $"unknown report kind '{kind}': use spam or ham");
            }

            var (message, error) = await ReadMessageAsync(request, options.MaxMessageBytes, cancellationToken);
            return error ?? Json(await filter.ReportAsync(
                new ReportRequest { Kind = reportKind, Message = message, Source = "admin" }, cancellationToken));
        });

        api.MapPost("/deliveries", async (HttpRequest request, IFingerprintFilter filter, IRetroRemediation remediation,
            CancellationToken cancellationToken) =>
        {
            var (message, error) = await ReadMessageAsync(request, options.MaxMessageBytes, cancellationToken);
            if (error is not null)
            {
                return error;
            }

            var fingerprints = await filter.FingerprintAsync(new FingerprintRequest { Message = message },
                cancellationToken);
            var lookup = new DeliveriesLookup { Message = fingerprints };
            if (fingerprints.Fingerprints.Count > 0)
            {
                var find = new FindDeliveriesRequest();
                find.Fingerprints.AddRange(fingerprints.Fingerprints);
                lookup.Copies.AddRange((await remediation.FindDeliveriesAsync(find, cancellationToken)).Copies);
            }

            return Json(lookup);
        });

        api.MapGet("/queue", async (IQueueInspector queue, CancellationToken cancellationToken) =>
            Json(await Task.Run(queue.GetStatus, cancellationToken)));
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
                return (ByteString.Empty, Error(StatusCodes.Status413PayloadTooLarge,
                    $"the message is larger than the limit of {maxBytes} bytes"));
            }

            buffer.Write(chunk, 0, read);
        }

        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);

        // A saved mailbox message may start with an mbox "From " line, which is not part of the message.
        if (bytes.StartsWith("From "u8))
        {
            var newline = bytes.IndexOf((byte)'\n');
            bytes = newline < 0 ? [] : bytes[(newline + 1)..];
        }

        return bytes.IsEmpty
            ? (ByteString.Empty, Error(StatusCodes.Status400BadRequest,
                "the request body is empty: send the raw RFC 5322 message"))
            : (ByteString.CopyFrom(bytes), null);
    }

    private static IResult Json(IMessage message, int statusCode = StatusCodes.Status200OK) =>
        Results.Text(Formatter.Format(message), "application/json", Encoding.UTF8, statusCode);

    private static IResult Error(int statusCode, string error) => Json(new ApiError { Error = error }, statusCode);
}
