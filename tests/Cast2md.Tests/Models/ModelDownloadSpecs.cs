using System.Net;
using System.Net.Sockets;
using Cast2md.Models;
using Cast2md.Net;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.Models;

public class ModelDownloadSpecs
{
    [Fact(Timeout = 60000)]
    public async Task I_can_download_a_named_model_and_get_a_verified_file()
    {
        // Arrange
        using var dir = TempDir.Create();
        await using var server = TestModels.Serve();
        var store = TestModels.Store(dir.Combine("models"), server.BaseUrl());
        var progress = new RecordingProgress();
        var notices = new List<string>();

        // Act
        var path = await store.ResolveAsync("tiny", "int8", progress, notices.Add);

        // Assert
        Assert.Equal(dir.Combine("models", "ggml-tiny-q8_0.bin"), path);
        Assert.Equal("c2085835d3f50733e2ff6e4b41ae8a2b8d8110461e18821b09a15c40c42d1cca", TestModels.Sha256Of(path));
        Assert.Equal(["ggml-tiny-q8_0.bin"], Directory.EnumerateFiles(dir.Combine("models")).Select(Path.GetFileName));
        var request = Assert.Single(server.Requests);
        Assert.Equal("/models/ggml-tiny-q8_0.bin", request.Path);
        Assert.Null(request.Range);
        Assert.StartsWith("cast2md/", request.UserAgent);
        Assert.Equal(new DownloadProgress(43_537_433, 43_537_433), progress.Reports[^1]);
        Assert.Equal(progress.Reports.OrderBy(r => r.BytesReceived), progress.Reports);
        Assert.Contains("SHA-256", Assert.Single(notices));
    }

    [Fact(Timeout = 60000)]
    public async Task I_can_resume_a_download_after_the_server_drops_the_connection()
    {
        // Arrange
        using var dir = TempDir.Create();
        await using var server = TestModels.Serve();
        server.DropConnectionOnce(TestModels.PathOf("ggml-tiny-q8_0.bin"), afterBytes: 10_000_000);
        var store = TestModels.Store(dir.Path, server.BaseUrl());
        var model = ModelCatalog.Resolve("tiny-q8_0", null).Model;

        // Act
        var path = await store.DownloadAsync(model);

        // Assert
        Assert.Equal(model.Sha256, TestModels.Sha256Of(path));
        var requests = server.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.Null(requests[0].Range);
        Assert.Matches("^bytes=[1-9][0-9]*-$", requests[1].Range);
        Assert.False(File.Exists(path + ".part"));
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_resume_from_a_server_that_ignores_range_and_get_a_clean_restart()
    {
        // Arrange
        using var dir = TempDir.Create();
        await using var server = TestModels.Serve(r => r.IgnoringRange());
        var store = TestModels.Store(dir.Path, server.BaseUrl());
        var part = dir.Combine(TestModels.StandIn.FileName + ".part");
        await File.WriteAllBytesAsync(part, Enumerable.Repeat((byte)0xAB, 4096).ToArray()); // not a prefix of the file

        // Act
        var path = await store.DownloadAsync(TestModels.StandIn);

        // Assert
        Assert.Equal(TestModels.StandInSha256, TestModels.Sha256Of(path));
        Assert.Equal("bytes=4096-", Assert.Single(server.Requests).Range);
        Assert.False(File.Exists(part));
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_resume_a_partial_download_that_is_already_complete_and_get_a_416_handled()
    {
        // Arrange
        using var dir = TempDir.Create();
        await using var server = TestModels.Serve();
        var store = TestModels.Store(dir.Path, server.BaseUrl());
        var part = dir.Combine(TestModels.StandIn.FileName + ".part");
        await File.WriteAllBytesAsync(part, TestModels.StandInBytes());

        // Act
        var path = await store.DownloadAsync(TestModels.StandIn);

        // Assert
        Assert.Equal(TestModels.StandInSha256, TestModels.Sha256Of(path));
        Assert.Equal($"bytes={TestModels.StandIn.SizeBytes}-", Assert.Single(server.Requests).Range);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_try_to_download_corrupt_bytes_and_get_a_checksum_error_with_both_hashes()
    {
        // Arrange
        using var dir = TempDir.Create();
        await using var server = TestModels.Serve();
        var corrupt = TestModels.StandInBytes();
        corrupt[1000] ^= 0xFF;
        server.Map(TestModels.PathOf(TestModels.StandIn.FileName), FixtureResponse.Bytes(corrupt).WithRanges());
        var store = TestModels.Store(dir.Path, server.BaseUrl());

        // Act
        var ex = await Assert.ThrowsAsync<ModelChecksumException>(() => store.DownloadAsync(TestModels.StandIn));

        // Assert
        Assert.Equal("sha256", ex.Algorithm);
        Assert.Equal(TestModels.StandInSha256, ex.Expected);
        Assert.Matches("^[0-9a-f]{64}$", ex.Actual);
        Assert.NotEqual(ex.Expected, ex.Actual);
        Assert.Contains(ex.Expected, ex.Message);
        Assert.Contains(ex.Actual, ex.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_try_to_download_a_missing_file_and_get_an_error_naming_the_url_and_status()
    {
        // Arrange
        using var dir = TempDir.Create();
        await using var server = TestModels.Serve();
        var store = TestModels.Store(dir.Path, server.BaseUrl());
        var missing = new ModelInfo("nope", "ggml-nope.bin", null, null, null);

        // Act
        var ex = await Assert.ThrowsAsync<ModelDownloadException>(() => store.DownloadAsync(missing));

        // Assert
        Assert.Equal(404, ex.StatusCode);
        Assert.Equal(new Uri(server.BaseUrl() + "/ggml-nope.bin"), ex.Url);
        Assert.Contains(ex.Url.AbsoluteUri, ex.Message);
        Assert.Contains("404", ex.Message);
        Assert.False(File.Exists(dir.Combine("ggml-nope.bin")));
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_try_to_download_from_a_failing_server_and_get_its_status()
    {
        // Arrange
        using var dir = TempDir.Create();
        await using var server = TestModels.Serve(_ => FixtureResponse.Status(500));
        var store = TestModels.Store(dir.Path, server.BaseUrl());

        // Act
        var ex = await Assert.ThrowsAsync<ModelDownloadException>(() => store.DownloadAsync(TestModels.StandIn));

        // Assert
        Assert.Equal(500, ex.StatusCode);
        Assert.Contains("500", ex.Message);
        Assert.Contains(server.BaseUrl().AbsoluteUri, ex.Message);
        Assert.Single(server.Requests);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_try_to_download_from_an_unreachable_server_and_get_an_error_naming_the_url()
    {
        // Arrange
        using var dir = TempDir.Create();
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens on this port any more
        var store = TestModels.Store(dir.Path, new Uri($"http://127.0.0.1:{port}/models"));

        // Act
        var ex = await Assert.ThrowsAsync<ModelDownloadException>(() => store.DownloadAsync(TestModels.StandIn));

        // Assert
        Assert.Null(ex.StatusCode);
        Assert.Contains($"http://127.0.0.1:{port}/models/{TestModels.StandIn.FileName}", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_try_to_download_from_a_stalled_server_and_get_a_timeout()
    {
        // Arrange
        using var dir = TempDir.Create();
        await using var server = TestModels.Serve(r => r.Stalled());
        var store = new ModelStore(new ModelSettings { ModelsDirectory = dir.Path, BaseUrl = server.BaseUrl() })
        {
            IdleTimeout = TimeSpan.FromMilliseconds(300),
        };

        // Act
        var ex = await Assert.ThrowsAsync<ModelDownloadException>(() => store.DownloadAsync(TestModels.StandIn));

        // Assert
        Assert.Contains("timed out", ex.Message);
        Assert.Contains(server.BaseUrl().AbsoluteUri, ex.Message);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_cancel_a_download_and_resume_it_later_from_the_part_file()
    {
        // Arrange
        using var dir = TempDir.Create();
        await using var server = TestModels.Serve(r => r.Slow(TimeSpan.FromMilliseconds(40), chunkSize: 64 * 1024));
        var store = TestModels.Store(dir.Path, server.BaseUrl());
        using var cts = new CancellationTokenSource();
        var progress = new RecordingProgress(p =>
        {
            if (p.BytesReceived > 0)
                cts.Cancel();
        });
        var part = dir.Combine(TestModels.StandIn.FileName + ".part");

        // Act
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.DownloadAsync(TestModels.StandIn, progress, cts.Token));
        var keptBytes = new FileInfo(part).Length;
        server.MapDirectory("/models", Path.Combine(Paths.Shared, "models")); // full speed again
        var path = await store.DownloadAsync(TestModels.StandIn);

        // Assert
        Assert.InRange(keptBytes, 1, TestModels.StandIn.SizeBytes!.Value - 1);
        Assert.Equal($"bytes={keptBytes}-", server.Requests.ToArray()[^1].Range);
        Assert.Equal(TestModels.StandInSha256, TestModels.Sha256Of(path));
        Assert.False(File.Exists(part));
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_download_the_same_model_twice_at_once_and_get_one_download()
    {
        // Arrange
        using var dir = TempDir.Create();
        await using var server = TestModels.Serve(r => r.Slow(TimeSpan.FromMilliseconds(20), chunkSize: 64 * 1024));
        var store = new ModelStore(new ModelSettings { ModelsDirectory = dir.Path, BaseUrl = server.BaseUrl() })
        {
            LockPollInterval = TimeSpan.FromMilliseconds(20),
        };
        var notices = new List<string>();

        // Act
        var paths = await Task.WhenAll(
            store.DownloadAsync(TestModels.StandIn, null, notices.Add),
            store.DownloadAsync(TestModels.StandIn, null, notices.Add)
        );

        // Assert
        Assert.Equal(paths[0], paths[1]);
        Assert.Single(server.Requests);
        Assert.Equal(TestModels.StandInSha256, TestModels.Sha256Of(paths[0]));
        Assert.Contains(notices, n => n.StartsWith("Waiting for another cast2md process", StringComparison.Ordinal));
        Assert.Equal([TestModels.StandIn.FileName], Directory.EnumerateFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_try_to_remove_a_model_while_it_downloads_and_get_an_error()
    {
        // Arrange
        using var dir = TempDir.Create();
        await using var server = TestModels.Serve(r => r.Slow(TimeSpan.FromMilliseconds(20), chunkSize: 64 * 1024));
        var store = TestModels.Store(dir.Path, server.BaseUrl());
        var started = new TaskCompletionSource();
        var download = store.DownloadAsync(TestModels.StandIn, new RecordingProgress(_ => started.TrySetResult()));
        await started.Task;

        // Act
        var ex = Assert.Throws<ModelException>(() => store.Remove(TestModels.StandIn.FileName));
        var path = await download;

        // Assert
        Assert.Contains("being downloaded", ex.Message);
        Assert.Equal(TestModels.StandInSha256, TestModels.Sha256Of(path));
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_download_a_model_with_only_a_sha1_and_hear_which_check_was_made()
    {
        // Arrange
        using var dir = TempDir.Create();
        await using var server = TestModels.Serve();
        var store = TestModels.Store(dir.Path, server.BaseUrl());
        var model = TestModels.StandIn with { Sha256 = null, Sha1 = TestModels.StandInSha1 };
        var notices = new List<string>();

        // Act
        var path = await store.DownloadAsync(model, null, notices.Add);

        // Assert
        Assert.Equal(TestModels.StandInSha256, TestModels.Sha256Of(path));
        Assert.Contains("SHA-1", Assert.Single(notices));
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_download_a_model_without_a_checksum_and_have_its_size_checked()
    {
        // Arrange
        using var dir = TempDir.Create();
        await using var server = TestModels.Serve();
        var store = TestModels.Store(dir.Path, server.BaseUrl());
        var model = TestModels.StandIn with { Sha256 = null, SizeBytes = null };
        var notices = new List<string>();

        // Act
        var path = await store.DownloadAsync(model, null, notices.Add);

        // Assert
        Assert.Equal(TestModels.StandInSha256, TestModels.Sha256Of(path));
        Assert.Contains("size only", Assert.Single(notices));
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_try_to_download_a_file_of_the_wrong_size_and_get_a_checksum_error()
    {
        // Arrange
        using var dir = TempDir.Create();
        await using var server = TestModels.Serve();
        var store = TestModels.Store(dir.Path, server.BaseUrl());
        var model = TestModels.StandIn with { Sha256 = null, SizeBytes = 1_000_000 };

        // Act
        var ex = await Assert.ThrowsAsync<ModelChecksumException>(() => store.DownloadAsync(model));

        // Assert
        Assert.Equal("size", ex.Algorithm);
        Assert.Contains("1,000,000", ex.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }
}
