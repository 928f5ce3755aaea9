using System.Net.Http.Headers;
using Cast2md.Net;

namespace Cast2md.Models;

public sealed partial class ModelStore
{
    /// <summary>How long a download may go without receiving a byte (or waiting for response headers) before it fails.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How many times one download resumes by itself after the connection drops mid-file (each try must make progress).</summary>
    public int MaxResumeAttempts { get; init; } = 5;

    /// <summary>"cast2md/VERSION" (<see cref="Cast2mdHttp.Version"/>).</summary>
    public static ProductInfoHeaderValue UserAgent { get; } = new("cast2md", Version);

    private static string Version => Cast2mdHttp.Version;

    // The shared download client (Cast2md.Net): HttpClient.Timeout is off because we read with ResponseHeadersRead and a
    // stalled body is caught by IdleTimeout instead, so a multi-GB download is never cut off by a whole-request timeout;
    // redirects are followed (huggingface.co/…/resolve answers 302 to its CDN).
    private static HttpClient DefaultHttpClient => Cast2mdHttp.ModelDownloads;

    /// <summary>The URL <paramref name="model"/> is downloaded from: <c>{BaseUrl}/{FileName}</c>.</summary>
    public Uri GetDownloadUrl(ModelInfo model)
    {
        var baseUrl = Settings.BaseUrl;
        // Only with the default repository: a configured mirror (or test server) serves every file itself.
        if (baseUrl == ModelSettings.DefaultBaseUrl && model.Name.EndsWith("-tdrz", StringComparison.Ordinal))
            baseUrl = ModelCatalog.TinydiarizeBaseUrl;
        else if (baseUrl == ModelSettings.DefaultBaseUrl && model.IsVoiceActivityModel)
            baseUrl = ModelCatalog.VoiceActivityBaseUrl;
        return new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + "/" + Uri.EscapeDataString(model.FileName));
    }
}
