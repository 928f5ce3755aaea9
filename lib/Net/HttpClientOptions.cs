namespace Cast2md.Net;

/// <summary>How <see cref="Cast2mdHttp.CreateClient"/> builds a client. Defaults follow upstream's <c>REQUEST_TIMEOUT</c> (30 s).</summary>
public sealed record HttpClientOptions
{
    /// <summary>The <c>USER_AGENT</c> setting; null or empty means <see cref="Cast2mdHttp.DefaultUserAgent"/>.</summary>
    public string? UserAgent { get; init; }

    /// <summary>How long opening a TCP (and TLS) connection may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><see cref="HttpClient.Timeout"/>: the whole request when the body is buffered, the wait for headers when streamed.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Ask for gzip/deflate/brotli and decode it. Off for downloads: a Range resume must count bytes of the file itself.</summary>
    public bool AutomaticDecompression { get; init; } = true;

    /// <summary>Redirects followed per request; beyond that the 3xx answer comes back (and our callers report a redirect loop).</summary>
    public int MaxRedirects { get; init; } = 10;

    /// <summary>Which addresses the client may connect to; null connects anywhere (a node to the server it was told to use).</summary>
    public AddressPolicy? AddressPolicy { get; init; } = AddressPolicy.Default;

    /// <summary>For large resumable downloads: no decompression, no whole-request timeout (an idle timeout per read guards instead).</summary>
    public static HttpClientOptions ForDownloads { get; } = new() { AutomaticDecompression = false, RequestTimeout = Timeout.InfiniteTimeSpan };

    /// <summary>This with <see cref="UserAgent"/> set (the <c>USER_AGENT</c> setting).</summary>
    public HttpClientOptions WithUserAgent(string? userAgent) => this with { UserAgent = userAgent };
}
