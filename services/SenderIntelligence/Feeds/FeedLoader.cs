using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace Gateway.SenderIntelligence.Feeds;

/// <summary>
/// Loads a feed from its file or URL when it changed since the last load. A file counts as changed when its write
/// time or length differ; a URL is fetched with If-None-Match / If-Modified-Since, so an unchanged feed costs one
/// small request. The body is parsed as it streams in and may not exceed the feed's MaxBytes.
/// </summary>
public sealed class FeedLoader : IDisposable
{
    private readonly HttpClient _http;

    public FeedLoader()
    {
        _http = new HttpClient(new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.All,
            ConnectTimeout = TimeSpan.FromSeconds(30),
        })
        {
            Timeout = TimeSpan.FromMinutes(5),
        };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("gateway-sender-intelligence", "1"));
    }

    public void Dispose() => _http.Dispose();

    /// <summary>
    /// The new state of the feed, or null when the source has not changed. Throws <see cref="IOException"/>,
    /// <see cref="HttpRequestException"/> or <see cref="InvalidDataException"/> (too large) when it cannot be loaded.
    /// </summary>
    public async Task<(FeedState State, FeedParseResult Parsed)?> LoadAsync(
        ReputationFeed feed, DateTimeOffset now, CancellationToken cancellationToken)
    {
        return feed.IsUrl
            ? await LoadUrlAsync(feed, now, cancellationToken).ConfigureAwait(false)
            : await LoadFileAsync(feed, now, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<(FeedState, FeedParseResult)?> LoadFileAsync(
        ReputationFeed feed, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var info = new FileInfo(feed.Options.Source);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"the feed file {info.FullName} does not exist", info.FullName);
        }

        var version = info.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture) + ":"
            + info.Length.ToString(CultureInfo.InvariantCulture);
        if (feed.State.Version == version)
        {
            return null;
        }

        if (info.Length > feed.Options.MaxBytes)
        {
            throw new InvalidDataException(
                $"the feed file is {info.Length} bytes, over its limit of {feed.Options.MaxBytes}");
        }

        await using var stream = new FileStream(info.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite,
            1 << 16, FileOptions.SequentialScan | FileOptions.Asynchronous);
        var parsed = await Task.Run(() => FeedParser.Parse(new StreamReader(stream)), cancellationToken)
            .ConfigureAwait(false);
        return (new FeedState(parsed.Table, parsed.Entries, now, version, null), parsed);
    }

    private async Task<(FeedState, FeedParseResult)?> LoadUrlAsync(
        ReputationFeed feed, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, feed.Options.Source);
        var previous = feed.State;
        if (previous.Version is { } etag && etag.StartsWith('"'))
        {
            request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(etag));
        }

        if (previous.LastModified is { } modified)
        {
            request.Headers.IfModifiedSince = modified;
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
            .ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotModified)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        if (response.Content.Headers.ContentLength > feed.Options.MaxBytes)
        {
            throw new InvalidDataException(
                $"the feed is {response.Content.Headers.ContentLength} bytes, "
                + $"over its limit of {feed.Options.MaxBytes}");
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using var limited = new LimitedReadStream(body, feed.Options.MaxBytes);
        var parsed = await Task.Run(() => FeedParser.Parse(new StreamReader(limited)), cancellationToken)
            .ConfigureAwait(false);
        return (new FeedState(
            parsed.Table,
            parsed.Entries,
            now,
            response.Headers.ETag?.Tag,
            response.Content.Headers.LastModified), parsed);
    }
}
