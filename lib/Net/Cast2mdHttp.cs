using System.Net;
using System.Reflection;

namespace Cast2md.Net;

/// <summary>Builds the project's outbound <see cref="HttpClient"/>s: one User-Agent, bounded redirects, no cookies.</summary>
public static class Cast2mdHttp
{
    /// <summary>The release version (VERSION at the repository root, or the tag it was built from), without the commit suffix.</summary>
    public static string Version { get; } =
        typeof(Cast2mdHttp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion is { } v
            ? v.Split('+')[0]
            : typeof(Cast2mdHttp).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>"cast2md/VERSION (Podcast Transcription Service)", upstream's default <c>USER_AGENT</c>.</summary>
    public static string DefaultUserAgent { get; } = $"cast2md/{Version} (Podcast Transcription Service)";

    /// <summary>A new client built from <paramref name="options"/> (default: feeds and API calls).</summary>
    public static HttpClient CreateClient(HttpClientOptions? options = null)
    {
        options ??= new HttpClientOptions();
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            AllowAutoRedirect = options.MaxRedirects > 0,
            MaxAutomaticRedirections = Math.Max(1, options.MaxRedirects),
            AutomaticDecompression = options.AutomaticDecompression ? DecompressionMethods.All : DecompressionMethods.None,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5), // notice DNS changes of long-lived hosts
        };
        if (options.AddressPolicy is { } policy)
        {
            handler.ConnectCallback = policy.ConnectAsync;
            // Through a proxy the connect step would check the proxy's address, not the URL's: the policy needs direct connections.
            handler.UseProxy = false;
        }
        var client = new HttpClient(handler, disposeHandler: true) { Timeout = options.RequestTimeout };
        client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", UserAgentOrDefault(options.UserAgent));
        return client;
    }

    /// <summary>The configured <c>USER_AGENT</c>, or <see cref="DefaultUserAgent"/> when it is empty.</summary>
    public static string UserAgentOrDefault(string? userAgent) => string.IsNullOrWhiteSpace(userAgent) ? DefaultUserAgent : userAgent.Trim();

    /// <summary>Adds our User-Agent to a request sent through a client that has none of its own (one a caller built).</summary>
    internal static void AddUserAgentIfMissing(HttpClient client, HttpRequestMessage request)
    {
        if (client.DefaultRequestHeaders.UserAgent.Count == 0 && request.Headers.UserAgent.Count == 0)
            request.Headers.TryAddWithoutValidation("User-Agent", DefaultUserAgent);
    }

    // Shared clients (HttpClient is meant to be reused); their handlers pool connections per host.
    private static readonly Lazy<HttpClient> SharedDefault = new(() => CreateClient());
    private static readonly Lazy<HttpClient> SharedDownloads = new(() => CreateClient(HttpClientOptions.ForDownloads));

    // Models come from the catalog's host or CAST2MD_MODEL_BASE_URL, which the user chose: no address policy, so a
    // configured HTTP(S)_PROXY keeps working for them.
    private static readonly Lazy<HttpClient> SharedModelDownloads = new(() =>
        CreateClient(HttpClientOptions.ForDownloads with { AddressPolicy = null })
    );

    /// <summary>The process-wide client with default options (feeds, APIs).</summary>
    internal static HttpClient Default => SharedDefault.Value;

    /// <summary>The process-wide client for resumable downloads (<see cref="HttpClientOptions.ForDownloads"/>).</summary>
    internal static HttpClient Downloads => SharedDownloads.Value;

    /// <summary>The process-wide client for model files: like <see cref="Downloads"/>, without an address policy.</summary>
    internal static HttpClient ModelDownloads => SharedModelDownloads.Value;
}
