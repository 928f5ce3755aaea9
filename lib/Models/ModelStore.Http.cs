using System.Net.Http.Headers;
using System.Reflection;

namespace Cast2md.Models;

public sealed partial class ModelStore
{
    /// <summary>How long a download may go without receiving a byte (or waiting for response headers) before it fails.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How many times one download resumes by itself after the connection drops mid-file (each try must make progress).</summary>
    public int MaxResumeAttempts { get; init; } = 5;

    /// <summary>"cast2md/0.1.0".</summary>
    public static ProductInfoHeaderValue UserAgent { get; } = new("cast2md", Version);

    private static string Version =>
        typeof(ModelStore).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion is { } v
            ? v.Split('+')[0]
            : typeof(ModelStore).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    // HttpClient.Timeout covers only the wait for headers (we read with ResponseHeadersRead); a stalled body is caught
    // by IdleTimeout instead, so a multi-GB download is never cut off by a whole-request timeout.
    private static readonly Lazy<HttpClient> DefaultHttpClient = new(() => new HttpClient(
        new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(30),
            AllowAutoRedirect = true, // huggingface.co/…/resolve answers 302 to its CDN
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        })
    {
        Timeout = TimeSpan.FromMinutes(2),
    });

    /// <summary>The URL <paramref name="model"/> is downloaded from: <c>{BaseUrl}/{FileName}</c>.</summary>
    public Uri GetDownloadUrl(ModelInfo model)
    {
        var baseUrl = Settings.BaseUrl;
        // Only with the default repository: a configured mirror (or test server) serves every file itself.
        if (baseUrl == ModelSettings.DefaultBaseUrl && model.Name.EndsWith("-tdrz", StringComparison.Ordinal))
            baseUrl = ModelCatalog.TinydiarizeBaseUrl;
        return new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + "/" + Uri.EscapeDataString(model.FileName));
    }
}
