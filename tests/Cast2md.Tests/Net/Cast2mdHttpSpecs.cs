using System.IO.Compression;
using System.Text;
using Cast2md.Net;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.Net;

public class Cast2mdHttpSpecs
{
    [Fact(Timeout = 15000)]
    public async Task I_can_build_a_client_that_names_cast2md_as_its_user_agent()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        server.MapText("/a", "ok");
        using var http = Cast2mdHttp.CreateClient();

        // Act
        await http.GetStringAsync(server.Url("/a"));

        // Assert
        Assert.Equal($"cast2md/{Cast2mdHttp.Version} (Podcast Transcription Service)", Assert.Single(server.Requests).UserAgent);
        Assert.Matches(@"^\d+\.\d+\.\d+", Cast2mdHttp.Version);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_build_a_client_with_the_user_agent_setting()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        server.MapText("/a", "ok");
        using var http = Cast2mdHttp.CreateClient(new HttpClientOptions().WithUserAgent("MyPodcatcher/2.0 (+https://example.test)"));

        // Act
        await http.GetStringAsync(server.Url("/a"));

        // Assert
        Assert.Equal("MyPodcatcher/2.0 (+https://example.test)", Assert.Single(server.Requests).UserAgent);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_build_a_client_that_decompresses_gzip_bodies()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(Encoding.UTF8.GetBytes("<rss/>"));
        server.Map("/feed", FixtureResponse.Bytes(compressed.ToArray(), "application/rss+xml").WithHeader("Content-Encoding", "gzip"));
        using var http = Cast2mdHttp.CreateClient();

        // Act
        var text = await http.GetStringAsync(server.Url("/feed"));

        // Assert
        Assert.Equal("<rss/>", text);
        Assert.Contains("gzip", Assert.Single(server.Requests).Header("Accept-Encoding"));
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_build_a_download_client_that_asks_for_no_compression()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        server.MapText("/a", "ok");
        using var http = Cast2mdHttp.CreateClient(HttpClientOptions.ForDownloads);

        // Act
        await http.GetStringAsync(server.Url("/a"));

        // Assert
        Assert.Null(Assert.Single(server.Requests).Header("Accept-Encoding"));
        Assert.Equal(Timeout.InfiniteTimeSpan, http.Timeout);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_build_a_client_that_follows_ten_redirects_but_not_eleven()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        for (var i = 0; i < 11; i++)
            server.MapRedirect($"/r{i}", $"/r{i + 1}");
        server.MapText("/r11", "arrived");
        using var http = Cast2mdHttp.CreateClient();

        // Act
        using var tenAway = await http.GetAsync(server.Url("/r1"));
        using var elevenAway = await http.GetAsync(server.Url("/r0"));

        // Assert
        Assert.Equal("arrived", await tenAway.Content.ReadAsStringAsync());
        Assert.Equal(302, (int)elevenAway.StatusCode);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_build_a_client_that_keeps_no_cookies()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        server.Map("/a", FixtureResponse.Text("ok").WithHeader("Set-Cookie", "session=abc; Path=/"));
        using var http = Cast2mdHttp.CreateClient();

        // Act
        await http.GetStringAsync(server.Url("/a"));
        await http.GetStringAsync(server.Url("/a"));

        // Assert
        Assert.All(server.Requests, r => Assert.Null(r.Header("Cookie")));
    }
}
