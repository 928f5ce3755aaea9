using System.Security.Cryptography;
using Cast2md.Downloads;
using Cast2md.Net;
using Cast2md.Tests.Infra;
using Cast2md.Tests.Models;
using Xunit;

namespace Cast2md.Tests.Downloads;

public class AudioDownloaderSpecs
{
    private static readonly byte[] Jfk = File.ReadAllBytes(Paths.JfkMp3);
    private static readonly string JfkSha256 = Convert.ToHexStringLower(SHA256.HashData(Jfk));

    [Fact(Timeout = 15000)]
    public async Task I_can_download_an_episode_and_get_identical_bytes_and_their_sha256()
    {
        // Arrange
        using var dir = TempDir.Create();
        await using var server = FixtureServer.Start();
        server.MapFile("/ep/jfk.mp3", Paths.JfkMp3);
        var destination = dir.Combine("feed", "jfk.mp3");
        var progress = new RecordingProgress();

        // Act
        var result = await new AudioDownloader().DownloadAsync(server.Url("/ep/jfk.mp3").AbsoluteUri, destination, progress, CancellationToken.None);

        // Assert
        Assert.Equal(Jfk, await File.ReadAllBytesAsync(destination));
        Assert.Equal(new AudioDownloadResult(destination, Jfk.Length, "audio/mpeg", JfkSha256, AudioFormat.Mp3, server.Url("/ep/jfk.mp3")), result);
        Assert.Equal(["jfk.mp3"], Directory.EnumerateFiles(dir.Combine("feed")).Select(Path.GetFileName));
        Assert.Equal(new DownloadProgress(Jfk.Length, Jfk.Length), progress.Reports[^1]);
        var request = Assert.Single(server.Requests);
        Assert.Null(request.Range);
        Assert.StartsWith("cast2md/", request.UserAgent);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_resume_an_audio_download_after_the_connection_drops()
    {
        // Arrange
        using var dir = TempDir.Create();
        await using var server = FixtureServer.Start();
        server.MapFile("/jfk.mp3", Paths.JfkMp3).DropConnectionOnce("/jfk.mp3", afterBytes: 30_000);
        var destination = dir.Combine("jfk.mp3");

        // Act
        var result = await new AudioDownloader().DownloadAsync(server.Url("/jfk.mp3").AbsoluteUri, destination, null, CancellationToken.None);

        // Assert
        Assert.Equal(Jfk, await File.ReadAllBytesAsync(destination));
        Assert.Equal(JfkSha256, result.Sha256);
        var requests = server.Requests;
        Assert.Equal(2, requests.Count);
        Assert.Null(requests[0].Range);
        Assert.Equal("bytes=30000-", requests[1].Range);
        Assert.False(File.Exists(destination + ".part"));
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_resume_a_part_file_left_by_a_previous_process()
    {
        // Arrange
        using var dir = TempDir.Create();
        await using var server = FixtureServer.Start();
        server.MapFile("/jfk.mp3", Paths.JfkMp3);
        var destination = dir.Combine("jfk.mp3");
        await File.WriteAllBytesAsync(destination + ".part", Jfk[..50_000]);

        // Act
        var result = await new AudioDownloader().DownloadAsync(server.Url("/jfk.mp3").AbsoluteUri, destination, null, CancellationToken.None);

        // Assert
        Assert.Equal(Jfk, await File.ReadAllBytesAsync(destination));
        Assert.Equal(JfkSha256, result.Sha256); // the hash covers the bytes resumed from disk too
        Assert.Equal("bytes=50000-", Assert.Single(server.Requests).Range);
        Assert.False(File.Exists(destination + ".part"));
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_resume_a_complete_part_file_and_get_the_416_treated_as_done()
    {
        // Arrange
        using var dir = TempDir.Create();
        await using var server = FixtureServer.Start();
        server.MapFile("/jfk.mp3", Paths.JfkMp3);
        var destination = dir.Combine("jfk.mp3");
        await File.WriteAllBytesAsync(destination + ".part", Jfk);

        // Act
        var result = await new AudioDownloader().DownloadAsync(server.Url("/jfk.mp3").AbsoluteUri, destination, null, CancellationToken.None);

        // Assert
        Assert.Equal(JfkSha256, result.Sha256);
        Assert.Equal(AudioFormat.Mp3, result.Format);
        Assert.Equal($"bytes={Jfk.Length}-", Assert.Single(server.Requests).Range);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_download_from_a_server_that_ignores_range_and_get_a_clean_restart()
    {
        // Arrange
        using var dir = TempDir.Create();
        await using var server = FixtureServer.Start();
        server.Map("/jfk.mp3", FixtureResponse.File(Paths.JfkMp3).IgnoringRange());
        var destination = dir.Combine("jfk.mp3");
        await File.WriteAllBytesAsync(destination + ".part", Enumerable.Repeat((byte)0xAB, 4096).ToArray()); // not a prefix

        // Act
        var result = await new AudioDownloader().DownloadAsync(server.Url("/jfk.mp3").AbsoluteUri, destination, null, CancellationToken.None);

        // Assert
        Assert.Equal(Jfk, await File.ReadAllBytesAsync(destination));
        Assert.Equal(JfkSha256, result.Sha256);
        Assert.Equal("bytes=4096-", Assert.Single(server.Requests).Range);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_try_to_download_an_html_page_and_get_a_permanent_not_audio_error()
    {
        // Arrange
        using var dir = TempDir.Create();
        await using var server = FixtureServer.Start();
        server.MapText("/episode.mp3", "<!DOCTYPE html><html><body>Please log in</body></html>", "text/html; charset=utf-8");
        var destination = dir.Combine("episode.mp3");

        // Act
        var ex = await Assert.ThrowsAsync<AudioDownloadException>(() =>
            new AudioDownloader().DownloadAsync(server.Url("/episode.mp3").AbsoluteUri, destination, null, CancellationToken.None)
        );

        // Assert
        Assert.True(ex.IsPermanent);
        Assert.Equal(HttpFailureKind.UnexpectedContent, ex.Kind);
        Assert.Contains("not audio: the server sent text/html", ex.Message);
        Assert.Contains("<!DOCTYPE html>", ex.Message);
        Assert.Contains(server.Url("/episode.mp3").AbsoluteUri, ex.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_try_to_download_audio_served_with_the_wrong_content_type_and_get_it_anyway()
    {
        // Arrange
        using var dir = TempDir.Create();
        await using var server = FixtureServer.Start();
        server.Map("/jfk", FixtureResponse.File(Paths.JfkMp3).WithContentType("text/plain"));

        // Act
        var result = await new AudioDownloader().DownloadAsync(server.Url("/jfk").AbsoluteUri, dir.Combine("jfk.mp3"), null, CancellationToken.None);

        // Assert
        Assert.Equal(JfkSha256, result.Sha256);
        Assert.Equal("text/plain", result.ContentType);
    }

    [Theory(Timeout = 15000)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(410)]
    public async Task I_can_try_to_download_a_gone_or_refused_episode_and_get_a_permanent_error(int status)
    {
        // Arrange
        using var dir = TempDir.Create();
        await using var server = FixtureServer.Start();
        server.MapStatus("/jfk.mp3", status);
        var destination = dir.Combine("jfk.mp3");
        await File.WriteAllBytesAsync(destination + ".part", Jfk[..1000]);

        // Act
        var ex = await Assert.ThrowsAsync<AudioDownloadException>(() =>
            new AudioDownloader().DownloadAsync(server.Url("/jfk.mp3").AbsoluteUri, destination, null, CancellationToken.None)
        );

        // Assert
        Assert.True(ex.IsPermanent);
        Assert.Equal(status, ex.StatusCode);
        Assert.Equal(server.Url("/jfk.mp3"), ex.Url);
        Assert.Contains($"HTTP {status}", ex.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Theory(Timeout = 15000)]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    [InlineData(408)]
    public async Task I_can_try_to_download_from_a_failing_or_busy_server_and_get_a_transient_error(int status)
    {
        // Arrange
        using var dir = TempDir.Create();
        await using var server = FixtureServer.Start();
        server.MapStatus("/jfk.mp3", status);
        var destination = dir.Combine("jfk.mp3");
        await File.WriteAllBytesAsync(destination + ".part", Jfk[..1000]);

        // Act
        var ex = await Assert.ThrowsAsync<AudioDownloadException>(() =>
            new AudioDownloader().DownloadAsync(server.Url("/jfk.mp3").AbsoluteUri, destination, null, CancellationToken.None)
        );

        // Assert
        Assert.False(ex.IsPermanent);
        Assert.Equal(status, ex.StatusCode);
        Assert.Equal(1000, new FileInfo(destination + ".part").Length); // kept for the retry
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_try_to_download_a_body_that_keeps_getting_cut_and_keep_the_part_file_for_a_later_resume()
    {
        // Arrange
        using var dir = TempDir.Create();
        await using var server = FixtureServer.Start();
        server.Map("/jfk.mp3", FixtureResponse.File(Paths.JfkMp3).Truncated(1000));
        var destination = dir.Combine("jfk.mp3");
        var downloader = new AudioDownloader { MaxResumeAttempts = 2 };

        // Act
        var ex = await Assert.ThrowsAsync<AudioDownloadException>(() =>
            downloader.DownloadAsync(server.Url("/jfk.mp3").AbsoluteUri, destination, null, CancellationToken.None)
        );

        // Assert
        Assert.False(ex.IsPermanent);
        Assert.Equal(HttpFailureKind.Connection, ex.Kind);
        Assert.Equal(3, server.Requests.Count); // the first try and two resumes
        Assert.False(File.Exists(destination));
        Assert.Equal(Jfk[..3000], await File.ReadAllBytesAsync(destination + ".part"));
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_try_to_download_an_episode_announced_larger_than_the_limit_and_get_refused()
    {
        // Arrange
        using var dir = TempDir.Create();
        await using var server = FixtureServer.Start();
        server.Map("/big.mp3", FixtureResponse.Generated(3L * 1024 * 1024, "audio/mpeg", "ID3"u8.ToArray()));
        var destination = dir.Combine("big.mp3");

        // Act
        var ex = await Assert.ThrowsAsync<AudioDownloadException>(() =>
            new AudioDownloader { MaxAudioMb = 1 }.DownloadAsync(server.Url("/big.mp3").AbsoluteUri, destination, null, CancellationToken.None)
        );

        // Assert
        Assert.Equal(HttpFailureKind.TooLarge, ex.Kind);
        Assert.True(ex.IsPermanent);
        Assert.Contains("larger than the 1 MB limit (the server announced 3 MB)", ex.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_try_to_download_an_episode_that_streams_past_the_limit_without_a_length_and_get_refused()
    {
        // Arrange
        using var dir = TempDir.Create();
        await using var server = FixtureServer.Start();
        server.Map("/big.mp3", FixtureResponse.Generated(3L * 1024 * 1024, "audio/mpeg", "ID3"u8.ToArray()).WithoutContentLength());
        var destination = dir.Combine("big.mp3");

        // Act
        var ex = await Assert.ThrowsAsync<AudioDownloadException>(() =>
            new AudioDownloader { MaxAudioMb = 1 }.DownloadAsync(server.Url("/big.mp3").AbsoluteUri, destination, null, CancellationToken.None)
        );

        // Assert
        Assert.Equal(HttpFailureKind.TooLarge, ex.Kind);
        Assert.Contains("kept sending", ex.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_cancel_an_audio_download_and_keep_the_part_file()
    {
        // Arrange
        using var dir = TempDir.Create();
        await using var server = FixtureServer.Start();
        server.Map("/jfk.mp3", FixtureResponse.File(Paths.JfkMp3).Slow(TimeSpan.FromMilliseconds(50), chunkSize: 8192));
        var destination = dir.Combine("jfk.mp3");
        using var cts = new CancellationTokenSource();
        var progress = new RecordingProgress(p =>
        {
            if (p.BytesReceived > 0)
                cts.Cancel();
        });

        // Act
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new AudioDownloader().DownloadAsync(server.Url("/jfk.mp3").AbsoluteUri, destination, progress, cts.Token)
        );

        // Assert
        Assert.False(File.Exists(destination));
        Assert.InRange(new FileInfo(destination + ".part").Length, 1, Jfk.Length - 1);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_download_an_episode_behind_a_redirect_and_get_the_final_url()
    {
        // Arrange
        using var dir = TempDir.Create();
        await using var server = FixtureServer.Start();
        server.MapRedirect("/track/123", "/cdn/jfk.mp3").MapFile("/cdn/jfk.mp3", Paths.JfkMp3);

        // Act
        var result = await new AudioDownloader().DownloadAsync(
            server.Url("/track/123").AbsoluteUri,
            dir.Combine("jfk.mp3"),
            null,
            CancellationToken.None
        );

        // Assert
        Assert.Equal(JfkSha256, result.Sha256);
        Assert.Equal(server.Url("/cdn/jfk.mp3"), result.FinalUrl);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_try_to_download_from_a_stalled_server_and_get_a_transient_timeout()
    {
        // Arrange
        using var dir = TempDir.Create();
        await using var server = FixtureServer.Start();
        server.Map("/jfk.mp3", FixtureResponse.File(Paths.JfkMp3).Stalled());
        var downloader = new AudioDownloader { IdleTimeout = TimeSpan.FromMilliseconds(300) };

        // Act
        var ex = await Assert.ThrowsAsync<AudioDownloadException>(() =>
            downloader.DownloadAsync(server.Url("/jfk.mp3").AbsoluteUri, dir.Combine("jfk.mp3"), null, CancellationToken.None)
        );

        // Assert
        Assert.Equal(HttpFailureKind.Timeout, ex.Kind);
        Assert.False(ex.IsPermanent);
        Assert.Contains("timed out", ex.Message);
    }

    [Fact]
    public async Task I_can_try_to_download_from_something_that_is_not_an_http_url_and_get_a_permanent_error()
    {
        // Arrange
        using var dir = TempDir.Create();

        // Act
        var ex = await Assert.ThrowsAsync<AudioDownloadException>(() =>
            new AudioDownloader().DownloadAsync("file:///etc/passwd", dir.Combine("a.mp3"), null, CancellationToken.None)
        );

        // Assert
        Assert.Equal(HttpFailureKind.InvalidUrl, ex.Kind);
        Assert.True(ex.IsPermanent);
    }
}
