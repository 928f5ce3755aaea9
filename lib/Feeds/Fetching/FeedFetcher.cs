using System.Net;
using Cast2md.Net;

namespace Cast2md.Feeds.Fetching;

/// <summary>
/// Fetches a feed's bytes with a conditional GET (If-None-Match / If-Modified-Since), so an unchanged feed costs a 304
/// (the original polled without validators and downloaded every feed whole every hour). The body is bounded by <see cref="MaxBytes"/>,
/// counted while reading (after decompression), never trusting Content-Length alone. Parsing is <c>FeedParser</c>'s job.
/// Pass a client from <see cref="Cast2mdHttp.CreateClient"/> to apply the <c>USER_AGENT</c> setting; the default is shared.
/// </summary>
public sealed class FeedFetcher(HttpClient? httpClient = null)
{
    public const long DefaultMaxBytes = 32L * 1024 * 1024;

    private readonly HttpClient _http = httpClient ?? Cast2mdHttp.Default;

    /// <summary>Larger feeds are refused with a <see cref="HttpFailureKind.TooLarge"/> error.</summary>
    public long MaxBytes { get; init; } = DefaultMaxBytes;

    /// <summary>The whole fetch (connect, headers and body) must finish within this (upstream's <c>REQUEST_TIMEOUT</c>: 30 s).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>What is fetched, for messages: "the feed" (default), "the transcript".</summary>
    public string What { get; init; } = "the feed";

    /// <summary>The redirect limit of the client, for the redirect-loop message (<see cref="HttpClientOptions.MaxRedirects"/>).</summary>
    public int MaxRedirects { get; init; } = 10;

    /// <summary>GETs <paramref name="url"/>, sending the validators stored from the last fetch (null: unconditional).</summary>
    /// <exception cref="FeedFetchException">HTTP error, redirect loop, too large, timeout or connection failure.</exception>
    public async Task<FeedFetchResult> FetchAsync(string url, string? etag, string? lastModified, CancellationToken cancellationToken = default)
    {
        if (!HttpFailures.TryParseUrl(url, out var uri))
            throw new FeedFetchException(
                $"Cannot fetch {What} '{url}': not an absolute http(s) URL.",
                new Uri("about:blank"),
                HttpFailureKind.InvalidUrl
            );

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            Cast2mdHttp.AddUserAgentIfMissing(_http, request);
            // Sent verbatim: servers compare validators as strings, and a weak or oddly quoted ETag must survive the round trip.
            if (!string.IsNullOrWhiteSpace(etag))
                request.Headers.TryAddWithoutValidation("If-None-Match", etag);
            if (!string.IsNullOrWhiteSpace(lastModified))
                request.Headers.TryAddWithoutValidation("If-Modified-Since", lastModified);

            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var finalUrl = response.RequestMessage?.RequestUri ?? uri;
            var newEtag = HttpFailures.RawHeader(response.Headers, "ETag");
            var newLastModified = HttpFailures.RawHeader(response.Content.Headers, "Last-Modified");
            if (response.StatusCode == HttpStatusCode.NotModified)
                return new FeedFetchResult(true, null, newEtag ?? etag, newLastModified ?? lastModified, finalUrl);
            var charset = response.Content.Headers.ContentType?.CharSet;
            if (!response.IsSuccessStatusCode)
            {
                var (message, kind) = HttpFailures.DescribeStatus($"fetch {What}", uri, response, MaxRedirects);
                throw new FeedFetchException(message, uri, kind, (int)response.StatusCode);
            }

            var body = await ReadBoundedAsync(uri, response, timeout.Token).ConfigureAwait(false);
            return new FeedFetchResult(false, body, newEtag, newLastModified, finalUrl) { Charset = charset };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            var (message, kind, status) = HttpFailures.DescribeException($"fetch {What}", uri, ex, Timeout, idle: false);
            throw new FeedFetchException(message, uri, kind, status, ex);
        }
    }

    private async Task<byte[]> ReadBoundedAsync(Uri uri, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (response.Content.Headers.ContentLength is { } announced && announced > MaxBytes)
            throw TooLarge(uri, status, $"the server announced {HttpFailures.FormatSize(announced)}");

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var body = new MemoryStream(capacity: (int)Math.Min(response.Content.Headers.ContentLength ?? 64 * 1024, MaxBytes));
        var buffer = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (body.Length + read > MaxBytes)
                throw TooLarge(uri, status, "the server kept sending past it");
            body.Write(buffer, 0, read);
        }
        return body.ToArray();
    }

    private FeedFetchException TooLarge(Uri uri, int status, string detail) =>
        new(
            $"Could not fetch {What} {uri}: it is larger than the {HttpFailures.FormatSize(MaxBytes)} limit ({detail}).",
            uri,
            HttpFailureKind.TooLarge,
            status
        );
}
