using System.Security.Cryptography;
using Cast2md.NodeAgent;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.NodeAgent;

public sealed class AudioFetcherSpecs
{
    private static byte[] Audio(int length = 300_000)
    {
        var bytes = new byte[length];
        new Random(7).NextBytes(bytes);
        return bytes;
    }

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    [Fact(Timeout = 15000)]
    public async Task I_can_download_a_jobs_audio_with_my_key_and_lease_and_it_is_verified()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        using var dir = TempDir.Create();
        using var http = NodeClient.CreateHttpClient();
        var audio = Audio();
        server.Map(
            "/api/nodes/jobs/5/audio",
            FixtureResponse.Bytes(audio, "audio/mpeg").WithRanges().WithHeader("X-Content-SHA256", Sha(audio).ToUpperInvariant())
        );
        var fetcher = new AudioFetcher(http, NodeFixtures.ClientFor(server, http), dir.Path);

        // Act
        var path = await fetcher.FetchAsync(5, "/api/nodes/jobs/5/audio", "lease-5");

        // Assert
        Assert.Equal(audio, await File.ReadAllBytesAsync(path));
        var request = Assert.Single(server.RequestsTo("/api/nodes/jobs/5/audio"));
        Assert.Equal(NodeFixtures.Key, request.Header("X-Transcriber-Key"));
        Assert.Equal("lease-5", request.Header("X-Lease-Token"));
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_lose_the_connection_mid_download_and_it_resumes_with_a_range()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        using var dir = TempDir.Create();
        using var http = NodeClient.CreateHttpClient();
        var audio = Audio();
        server.Map("/api/nodes/jobs/5/audio", FixtureResponse.Bytes(audio, "audio/mpeg").WithRanges().WithHeader("X-Content-SHA256", Sha(audio)));
        server.DropConnectionOnce("/api/nodes/jobs/5/audio", afterBytes: 100_000);
        var fetcher = new AudioFetcher(http, NodeFixtures.ClientFor(server, http), dir.Path);

        // Act
        var path = await fetcher.FetchAsync(5, "api/nodes/jobs/5/audio", "lease-5");

        // Assert
        Assert.Equal(audio, await File.ReadAllBytesAsync(path));
        var requests = server.RequestsTo("/api/nodes/jobs/5/audio");
        Assert.Equal(2, requests.Count);
        Assert.Null(requests[0].Range);
        Assert.StartsWith("bytes=", requests[1].Range);
        Assert.NotEqual("bytes=0-", requests[1].Range);
        Assert.All(requests, r => Assert.Equal(NodeFixtures.Key, r.Header("X-Transcriber-Key")));
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_get_damaged_audio_and_it_is_downloaded_once_more_then_the_job_fails()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        using var dir = TempDir.Create();
        using var http = NodeClient.CreateHttpClient();
        var audio = Audio(50_000);
        server.Map("/api/nodes/jobs/5/audio", FixtureResponse.Bytes(audio, "audio/mpeg").WithHeader("X-Content-SHA256", new string('0', 64)));
        var fetcher = new AudioFetcher(http, NodeFixtures.ClientFor(server, http), dir.Path);

        // Act
        var error = await Assert.ThrowsAsync<AudioFetchException>(() => fetcher.FetchAsync(5, "/api/nodes/jobs/5/audio", "lease-5"));

        // Assert
        Assert.Contains("SHA-256", error.Message);
        Assert.False(error.IsPermanent);
        Assert.Equal(2, server.RequestsTo("/api/nodes/jobs/5/audio").Count);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_get_damaged_audio_once_and_the_second_download_is_used()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        using var dir = TempDir.Create();
        using var http = NodeClient.CreateHttpClient();
        var audio = Audio(50_000);
        var damaged = (byte[])audio.Clone();
        damaged[1000] ^= 0xFF;
        server.Map("/api/nodes/jobs/5/audio", FixtureResponse.Bytes(audio, "audio/mpeg").WithHeader("X-Content-SHA256", Sha(audio)));
        server.Once("/api/nodes/jobs/5/audio", r => FixtureResponse.Bytes(damaged, "audio/mpeg").WithHeader("X-Content-SHA256", Sha(audio)));
        var fetcher = new AudioFetcher(http, NodeFixtures.ClientFor(server, http), dir.Path);

        // Act
        var path = await fetcher.FetchAsync(5, "/api/nodes/jobs/5/audio", null);

        // Assert
        Assert.Equal(audio, await File.ReadAllBytesAsync(path));
        Assert.Equal(2, server.RequestsTo("/api/nodes/jobs/5/audio").Count);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_try_an_audio_url_on_another_host_and_my_key_never_goes_there()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        await using var foreign = FixtureServer.Start();
        using var dir = TempDir.Create();
        using var http = NodeClient.CreateHttpClient();
        foreign.MapBytes("/audio.mp3", Audio(1000), "audio/mpeg");
        var fetcher = new AudioFetcher(http, NodeFixtures.ClientFor(server, http), dir.Path);

        // Act
        var error = await Assert.ThrowsAsync<AudioFetchException>(() => fetcher.FetchAsync(5, foreign.Url("/audio.mp3").ToString(), "lease-5"));

        // Assert
        Assert.Contains("must not go anywhere else", error.Message);
        Assert.Empty(foreign.Requests);
        Assert.Empty(server.Requests);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_be_redirected_to_another_host_and_the_redirect_is_not_followed()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        await using var foreign = FixtureServer.Start();
        using var dir = TempDir.Create();
        using var http = NodeClient.CreateHttpClient();
        foreign.MapBytes("/audio.mp3", Audio(1000), "audio/mpeg");
        server.MapRedirect("/api/nodes/jobs/5/audio", foreign.Url("/audio.mp3").ToString());
        var fetcher = new AudioFetcher(http, NodeFixtures.ClientFor(server, http), dir.Path);

        // Act
        await Assert.ThrowsAsync<AudioFetchException>(() => fetcher.FetchAsync(5, "/api/nodes/jobs/5/audio", "lease-5"));

        // Assert
        Assert.Empty(foreign.Requests);
    }

    [Theory(Timeout = 15000)]
    [InlineData(404, true, false)]
    [InlineData(410, true, false)]
    [InlineData(409, false, true)]
    [InlineData(503, false, false)]
    public async Task I_can_be_refused_the_audio_and_learn_whether_the_job_is_gone_lost_or_worth_retrying(int status, bool permanent, bool lost)
    {
        // Arrange
        await using var server = FixtureServer.Start();
        using var dir = TempDir.Create();
        using var http = NodeClient.CreateHttpClient();
        server.MapStatus("/api/nodes/jobs/5/audio", status);
        var fetcher = new AudioFetcher(http, NodeFixtures.ClientFor(server, http), dir.Path);

        // Act
        var error = await Assert.ThrowsAsync<AudioFetchException>(() => fetcher.FetchAsync(5, "/api/nodes/jobs/5/audio", "lease-5"));

        // Assert
        Assert.Equal(permanent, error.IsPermanent);
        Assert.Equal(lost, error.IsLost);
    }
}
