using Cast2md.NodeAgent;
using Cast2md.Tests.Infra;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Cast2md.Tests.NodeAgent;

public sealed class ResultSpoolSpecs
{
    [Fact]
    public async Task I_can_spool_a_result_read_it_back_and_delete_it()
    {
        // Arrange
        using var dir = TempDir.Create();
        var spool = NodeFixtures.Spool(dir.Combine("spool"));
        var config = new NodeConfig("http://server:8000", "node-1", "k", "n");
        var result = NodeFixtures.Result(config, 42);

        // Act
        await spool.WriteAsync(result);
        var read = spool.ReadFor(config);
        spool.Delete(result);

        // Assert
        var single = Assert.Single(read);
        Assert.Equal(42, single.JobId);
        Assert.Equal("lease-42", single.LeaseToken);
        Assert.Equal("Words of job 42.", single.Transcript.Segments[0].Text);
        Assert.Empty(spool.ReadAll());
    }

    [Fact]
    public async Task I_can_keep_results_of_another_server_or_registration_out_of_the_upload()
    {
        // Arrange
        using var dir = TempDir.Create();
        var spool = NodeFixtures.Spool(dir.Path);
        var config = new NodeConfig("http://server:8000", "node-1", "k", "n");
        await spool.WriteAsync(NodeFixtures.Result(config, 1));
        await spool.WriteAsync(NodeFixtures.Result(config with { ServerUrl = "http://elsewhere:8000" }, 2));
        await spool.WriteAsync(NodeFixtures.Result(config with { NodeId = "old-registration" }, 3));
        File.WriteAllText(Path.Combine(dir.Path, "4.json"), "{broken");

        // Act
        var mine = spool.ReadFor(config with { ServerUrl = "http://server:8000/" });

        // Assert
        Assert.Equal([1L], mine.Select(r => r.JobId));
        Assert.Equal(3, spool.ReadAll().Count);
    }

    [Fact]
    public async Task One_home_working_for_two_servers_keeps_both_results_of_the_same_job_id()
    {
        // Arrange: job 7 of one server and job 7 of another (ids are only unique per server)
        using var dir = TempDir.Create();
        var spool = NodeFixtures.Spool(dir.Path);
        var first = new NodeConfig("http://first:8000", "node-1", "k", "n");
        var second = new NodeConfig("http://second:8000", "node-2", "k", "n");

        // Act
        await spool.WriteAsync(NodeFixtures.Result(first, 7));
        await spool.WriteAsync(NodeFixtures.Result(second, 7));
        spool.Delete(NodeFixtures.Result(first, 7));

        // Assert
        Assert.Empty(spool.ReadFor(first));
        Assert.Equal("lease-7", Assert.Single(spool.ReadFor(second)).LeaseToken);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_restart_a_node_and_it_uploads_the_spool_first_keeping_what_the_server_cannot_take()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        using var dir = TempDir.Create();
        using var http = new HttpClient();
        var client = NodeFixtures.ClientFor(server, http);
        var spool = NodeFixtures.Spool(dir.Path);
        await spool.WriteAsync(NodeFixtures.Result(client.Config, 1, DateTime.UtcNow.AddMinutes(-2)));
        await spool.WriteAsync(NodeFixtures.Result(client.Config, 2, DateTime.UtcNow.AddMinutes(-1)));
        await spool.WriteAsync(NodeFixtures.Result(client.Config, 3));
        server.Map("/api/nodes/jobs/1/complete", FixtureResponse.Text("""{"message":"ok"}""", "application/json"));
        server.Map(
            "/api/nodes/jobs/2/complete",
            FixtureResponse.Text("""{"detail":"Job already completed by another node"}""", "application/json").WithStatus(409)
        );
        server.Map("/api/nodes/jobs/3/complete", FixtureResponse.Status(503));
        var uploader = new ResultUploader(client, spool, NullLogger.Instance);

        // Act
        await uploader.ResendSpooledAsync();

        // Assert
        Assert.Equal(["/api/nodes/jobs/1/complete", "/api/nodes/jobs/2/complete", "/api/nodes/jobs/3/complete"], server.Requests.Select(r => r.Path));
        var first = server.RequestsTo("/api/nodes/jobs/1/complete")[0];
        Assert.Equal("POST", first.Method);
        Assert.Equal(NodeFixtures.Key, first.Header("X-Transcriber-Key"));
        Assert.Equal("lease-1", first.Header("X-Lease-Token"));
        Assert.Contains("\"transcript\":", first.BodyText);
        Assert.Contains("Words of job 1.", first.BodyText);
        Assert.Equal([3L], spool.ReadAll().Select(r => r.JobId)); // 200 and 409 are final; 503 is kept
        Assert.Equal(1, uploader.Pending);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_lose_the_server_during_an_upload_and_the_result_goes_through_once_it_is_back()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        using var dir = TempDir.Create();
        using var http = new HttpClient();
        var client = NodeFixtures.ClientFor(server, http);
        var spool = NodeFixtures.Spool(dir.Path);
        var result = NodeFixtures.Result(client.Config, 7);
        await spool.WriteAsync(result);
        server.Map("/api/nodes/jobs/7/complete", FixtureResponse.Text("{}", "application/json"));
        server.DropConnectionOnce("/api/nodes/jobs/7/complete", 0);
        server.FailOnce("/api/nodes/jobs/7/complete", 502);
        var uploader = new ResultUploader(client, spool, NullLogger.Instance);
        using var stop = new CancellationTokenSource();

        // Act
        var first = await uploader.SubmitAsync(result);
        var loop = uploader.RunAsync(stop.Token);
        await Eventually.TrueAsync(() => uploader.Pending == 0, TimeSpan.FromSeconds(10), "the upload went through");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop);

        // Assert
        Assert.Equal(UploadOutcome.Retry, first);
        Assert.Empty(spool.ReadAll());
        Assert.True(server.RequestsTo("/api/nodes/jobs/7/complete").Count >= 2);
    }

    [Fact]
    public void I_can_back_off_from_one_second_doubling_to_a_minute()
    {
        var delays = new List<TimeSpan>();
        var delay = TimeSpan.Zero;
        for (var i = 0; i < 9; i++)
            delays.Add(delay = ResultUploader.NextDelay(delay));
        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60, 60], delays.Select(d => (int)d.TotalSeconds));
    }
}
