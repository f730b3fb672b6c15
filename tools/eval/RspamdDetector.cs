using System.Net.Http.Headers;
using System.Text.Json;

namespace Gateway.Eval;

/// <summary>
/// Rspamd's fuzzy check against a local fuzzy storage (started by tools/eval/run.sh): reports are
/// added through the controller's <c>/fuzzyadd</c> (flag 11, LOCAL_FUZZY_DENIED), then every message
/// is checked through the normal worker's <c>/checkv2</c>; caught when LOCAL_FUZZY_DENIED fires.
/// Only the fuzzy symbol counts, not Rspamd's other rules, so the comparison is fingerprint to fingerprint.
/// </summary>
public sealed class RspamdDetector : IDetector
{
    private const string DeniedSymbol = "LOCAL_FUZZY_DENIED";
    private const int Parallelism = 4;

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Uri _controller;
    private readonly Uri _worker;
    private readonly string _password;

    public RspamdDetector(string controller, string worker, string password)
    {
        _controller = new Uri(controller.TrimEnd('/') + "/");
        _worker = new Uri(worker.TrimEnd('/') + "/");
        _password = password;
    }

    public string Name => "rspamd fuzzy_check";

    public async Task LearnAsync(IReadOnlyList<CorpusMessage> reports, CancellationToken cancellationToken)
    {
        var failures = 0;
        foreach (var report in reports)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_controller, "fuzzyadd"))
            {
                Content = new ByteArrayContent(await File.ReadAllBytesAsync(report.Path, cancellationToken)),
            };
            request.Headers.Add("Password", _password);
            request.Headers.Add("Flag", "11");
            request.Headers.Add("Weight", "10");
            using var response = await _http.SendAsync(request, cancellationToken);
            failures += response.IsSuccessStatusCode ? 0 : 1;
        }

        if (failures == reports.Count && reports.Count > 0)
        {
            throw new InvalidOperationException("rspamd refused every fuzzyadd; is the controller up?");
        }

        // The fuzzy worker publishes new hashes to checks only on its sync (configured 1 s).
        await Task.Delay(TimeSpan.FromSeconds(2.5), cancellationToken);
    }

    public async Task<IReadOnlyList<Judgement>> JudgeAsync(
        IReadOnlyList<CorpusMessage> messages, CancellationToken cancellationToken)
    {
        var judgements = new Judgement[messages.Count];
        await Parallel.ForAsync(0, messages.Count,
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (i, token) => judgements[i] = await CheckAsync(messages[i], token));
        return judgements;
    }

    private async Task<Judgement> CheckAsync(CorpusMessage message, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_worker, "checkv2"))
        {
            Content = new ByteArrayContent(await File.ReadAllBytesAsync(message.Path, cancellationToken)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
        request.Headers.Add("IP", "198.51.100.7");
        request.Headers.Add("Rcpt", "eval@example.test");
        using var response = await _http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        var caught = json.RootElement.TryGetProperty("symbols", out var symbols)
            && symbols.TryGetProperty(DeniedSymbol, out _);
        return new Judgement(message, caught);
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }
}
