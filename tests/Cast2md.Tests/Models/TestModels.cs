using System.Security.Cryptography;
using Cast2md.Models;
using Cast2md.Net;
using Cast2md.Tests.Infra;

namespace Cast2md.Tests.Models;

/// <summary>Catalogue-shaped entries for the files in ../shared/models, and small helpers for the model specs.</summary>
internal static class TestModels
{
    public const string StandInSha256 = "dd6b7796204a1cdf7164666423034e6e1a7a3e9f5c22327b4b7974c4584bd82d";
    public const string StandInSha1 = "06f45ff6b30e9678b40ca36ce3bc175a50fd4929";

    /// <summary>The 586 KB stand-in model with its sha256: fast enough for every failure-path spec.</summary>
    public static ModelInfo StandIn { get; } = new("for-tests-tiny.en", "for-tests-ggml-tiny.en.bin", 586_836, StandInSha256, null);

    /// <summary>A fixture server with ../shared/models under /models, each response passed through <paramref name="adjust"/>.</summary>
    public static FixtureServer Serve(Func<FixtureResponse, FixtureResponse>? adjust = null) =>
        FixtureServer.Start().MapDirectory("/models", System.IO.Path.Combine(Paths.Shared, "models"), adjust);

    /// <summary>http://127.0.0.1:{port}/models (no trailing slash, as a user would write it).</summary>
    public static Uri BaseUrl(this FixtureServer server) => server.Url("/models");

    /// <summary>Where <paramref name="fileName"/> is served.</summary>
    public static string PathOf(string fileName) => "/models/" + fileName;

    public static ModelStore Store(string modelsDirectory, Uri baseUrl) =>
        new(new ModelSettings { ModelsDirectory = modelsDirectory, BaseUrl = baseUrl });

    public static string Sha256Of(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }

    public static byte[] StandInBytes() => File.ReadAllBytes(Paths.StandInModel);
}

/// <summary>An <see cref="IProgress{T}"/> that records reports synchronously (Progress&lt;T&gt; posts them later) and can act on each.</summary>
internal sealed class RecordingProgress(Action<DownloadProgress>? onReport = null) : IProgress<DownloadProgress>
{
    private readonly List<DownloadProgress> _reports = [];

    public IReadOnlyList<DownloadProgress> Reports
    {
        get
        {
            lock (_reports)
                return _reports.ToArray();
        }
    }

    public void Report(DownloadProgress value)
    {
        lock (_reports)
            _reports.Add(value);
        onReport?.Invoke(value);
    }
}
