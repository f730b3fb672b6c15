using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gateway.Common.Mail;
using Gateway.RetroRemediation.Cache;
using Gateway.RetroRemediation.Configuration;
using Gateway.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.RetroRemediation.Stores.Webhook;

/// <summary>
/// Tells a store with its own API what to do: a JSON POST of <see cref="WebhookActionRequest"/>, signed
/// with HMAC-SHA256 (<see cref="WebhookSignature"/>), answered with <see cref="WebhookActionReply"/>.
/// A 5xx, 408, 429 or a network error is tried again within the action (<c>Webhook:Attempts</c>, short
/// back-off); after that the action goes back to the pending list. A 4xx that says the request itself is
/// wrong (400, 404, 409, 410, 422) is a refusal; 401 and 403 are a configuration problem and are retried.
/// Every try of one action carries the same idempotency key.
/// </summary>
public sealed class WebhookStoreAdapter : IMailboxStoreAdapter, IDisposable
{
    public const string SignatureHeader = "X-Gateway-Signature";
    public const string TimestampHeader = "X-Gateway-Timestamp";
    public const string IdempotencyHeader = "Idempotency-Key";

    private const int MaxResponseBytes = 64 * 1024;

    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default);
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    private readonly IOptions<RetroRemediationOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookStoreAdapter> _logger;
    private readonly HttpClient _http;

    public WebhookStoreAdapter(
        IOptions<RetroRemediationOptions> options, TimeProvider time, ILogger<WebhookStoreAdapter> logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false };
        _http = new HttpClient(handler)
        {
            Timeout = options.Value.Webhook.Timeout,
            MaxResponseContentBufferSize = MaxResponseBytes,
        };
    }

    public MailboxStoreKind Kind => MailboxStoreKind.Webhook;

    public bool IsConfigured => _options.Value.Webhook.IsConfigured;

    public async Task<StoreActionResult> ApplyAsync(StoreCommand command, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(Formatter.Format(Request(command)));
        var webhook = _options.Value.Webhook;
        var failure = "";
        for (var attempt = 1; attempt <= webhook.Attempts; attempt++)
        {
            if (attempt > 1)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * Math.Pow(2, attempt - 2)), _time, cancellationToken);
            }

            var (result, retry) = await PostAsync(command, body, cancellationToken);
            if (!retry)
            {
                return result;
            }

            failure = result.Detail;
            WebhookStoreLog.AttemptFailed(_logger, command.CopyId, attempt, failure);
        }

        return command.Operation == StoreOperation.Locate
            ? StoreActionResult.Located(CopyPlace.Unknown, failure)
            : StoreActionResult.Failed(failure);
    }

    public void Dispose() => _http.Dispose();

    private WebhookActionRequest Request(StoreCommand command)
    {
        var record = command.Record;
        var options = _options.Value;
        EnvelopeAddress.TryParse(record.Recipient, out var recipient);
        var request = new WebhookActionRequest
        {
            Action = ActionName(command),
            CopyId = command.CopyId,
            QueueId = record.QueueId,
            Mailbox = recipient.MailboxAddress,
            Recipient = record.Recipient,
            MessageId = record.MessageId,
            Size = record.Size,
            DeliveredAt = record.DeliveredAt ?? new Timestamp(),
            Folder = string.IsNullOrEmpty(record.Folder) ? options.InboxFolder : record.Folder,
            TargetFolder = command.Action switch
            {
                StoreAction.MoveToJunk => options.JunkFolder,
                StoreAction.MoveToQuarantine => options.QuarantineFolder,
                _ => "",
            },
            OnlyUnread = command.OnlyUnread && command.Operation == StoreOperation.Remediate,
            EventId = command.EventId,
            IdempotencyKey = $"{command.CopyId}:{ActionName(command)}:{command.EventId}",
        };
        return request;
    }

    private async Task<(StoreActionResult Result, bool Retry)> PostAsync(
        StoreCommand command, byte[] body, CancellationToken cancellationToken)
    {
        var webhook = _options.Value.Webhook;
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url)
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(TimestampHeader, timestamp);
        request.Headers.Add(SignatureHeader, WebhookSignature.Sign(webhook.ResolvedSecret, timestamp, body));
        request.Headers.Add(IdempotencyHeader, $"{command.CopyId}:{ActionName(command)}:{command.EventId}");

        HttpResponseMessage response;
        string text;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
            text = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            return (StoreActionResult.Failed($"cannot reach the webhook: {ex.HttpRequestError}"), true);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (StoreActionResult.Failed(
                $"the webhook did not answer within {webhook.Timeout.TotalSeconds:0.#} s"), true);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || status >= 500)
            {
                return (StoreActionResult.Failed($"the webhook answered HTTP {status}"), true);
            }

            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                // Our signature was refused: a secret that differs on the two sides. Not the copy's fault.
                return (StoreActionResult.Failed($"the webhook refused our signature (HTTP {status})"), false);
            }

            if (!response.IsSuccessStatusCode)
            {
                return (StoreActionResult.Refused($"the webhook refused the action (HTTP {status})"), false);
            }

            return (Interpret(command, text), false);
        }
    }

    private static StoreActionResult Interpret(StoreCommand command, string text)
    {
        WebhookActionReply reply;
        try
        {
            reply = string.IsNullOrWhiteSpace(text) ? new WebhookActionReply { Result = "done" }
                : Parser.Parse<WebhookActionReply>(text);
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or InvalidJsonException or FormatException)
        {
            return StoreActionResult.Failed("the webhook answered something that is not a WebhookActionReply");
        }

        var detail = Clean("webhook: " + (string.IsNullOrEmpty(reply.Detail) ? reply.Result : reply.Detail));
        if (command.Operation == StoreOperation.Locate)
        {
            return reply.Result switch
            {
                "inbox" => StoreActionResult.Located(CopyPlace.Inbox, detail),
                "remediated" => StoreActionResult.Located(CopyPlace.Remediated, detail),
                "elsewhere" or "not_found" => StoreActionResult.Located(CopyPlace.Elsewhere, detail),
                _ => StoreActionResult.Located(CopyPlace.Unknown, detail),
            };
        }

        var flags = command.Action == StoreAction.Flag && command.Operation == StoreOperation.Remediate
            ? StoreFlags.Flagged | StoreFlags.Junk
            : StoreFlags.None;
        return reply.Result switch
        {
            "done" => StoreActionResult.Done(detail, flags),
            "already_done" => StoreActionResult.AlreadyDone(detail),
            "not_found" => StoreActionResult.NotFound(detail),
            "skipped_read" => StoreActionResult.SkippedRead(detail),
            "refused" => StoreActionResult.Refused(detail),
            _ => StoreActionResult.Failed($"the webhook answered an unknown result '{Clean(reply.Result)}'"),
        };
    }

    private static string ActionName(StoreCommand command) => (command.Operation, command.Action) switch
    {
        (StoreOperation.Locate, _) => "locate",
        (StoreOperation.Undo, StoreAction.Flag) => "unflag",
        (StoreOperation.Undo, _) => "restore",
        (_, StoreAction.MoveToQuarantine) => "move_to_quarantine",
        (_, StoreAction.Delete) => "delete",
        (_, StoreAction.Flag) => "flag",
        _ => "move_to_junk",
    };

    /// <summary>Text from the receiver, made safe and short for the audit.</summary>
    private static string Clean(string text)
    {
        var chars = text.Take(200).Select(c => char.IsControl(c) ? ' ' : c).ToArray();
        return new string(chars).Trim();
    }
}
