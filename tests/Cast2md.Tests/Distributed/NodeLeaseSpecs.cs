using System.Net;
using Cast2md.Queue;
using Cast2md.Tests.Api;
using Xunit;

namespace Cast2md.Tests.Distributed;

public class NodeLeaseSpecs
{
    [Fact]
    public async Task A_slow_node_that_keeps_reporting_keeps_its_job_however_long_ago_it_claimed_it()
    {
        // Arrange: the original reclaimed any remote job 30 minutes after its claim, reporting or not
        await using var server = await NodeSpecs.StartAsync(remoteJobTimeoutMinutes: 30);
        var node = await SimulatedNode.RegisterAsync(server.Http);
        var (_, job) = server.QueueTranscription("Three-hour episode");
        await node.ClaimAsync();
        server.Backdate(job.Id, TimeSpan.FromHours(3));
        BackdateLease(server, job.Id, TimeSpan.FromMinutes(29));

        // Act
        using var heartbeat = await node.HeartbeatAsync(new { current_job_id = job.Id, claimed_job_ids = new[] { job.Id } });
        var reclaimed = server.Core.Jobs.ReapExpiredLeases();

        // Assert
        Assert.Equal(0, reclaimed);
        var held = server.Core.Jobs.Get(job.Id)!;
        Assert.Equal((JobStatus.Running, $"node:{node.Id}"), (held.Status, held.ClaimedBy));
        Assert.True(held.LeaseExpiresAt > DateTimeOffset.UtcNow.AddMinutes(29));
    }

    [Fact]
    public async Task Progress_is_a_sign_of_life_that_extends_the_lease()
    {
        // Arrange
        await using var server = await NodeSpecs.StartAsync(remoteJobTimeoutMinutes: 30);
        var node = await SimulatedNode.RegisterAsync(server.Http);
        var (_, job) = server.QueueTranscription();
        await node.ClaimAsync();
        BackdateLease(server, job.Id, TimeSpan.FromMinutes(29));

        // Act
        using var progress = await node.ProgressAsync(job.Id, 42);

        // Assert
        Assert.Equal(HttpStatusCode.OK, progress.StatusCode);
        var held = server.Core.Jobs.Get(job.Id)!;
        Assert.Equal(42, held.ProgressPercent);
        Assert.True(held.LeaseExpiresAt > DateTimeOffset.UtcNow.AddMinutes(29));
    }

    [Fact]
    public async Task A_silent_nodes_job_goes_to_another_node_once_the_timeout_passes()
    {
        // Arrange
        await using var server = await NodeSpecs.StartAsync(remoteJobTimeoutMinutes: 30);
        var dead = await SimulatedNode.RegisterAsync(server.Http, "dead");
        var alive = await SimulatedNode.RegisterAsync(server.Http, "alive");
        var (_, job) = server.QueueTranscription();
        await dead.ClaimAsync();
        var (before, _) = await alive.ClaimAsync();

        // Act: its last sign of life is now more than 30 minutes old
        BackdateLease(server, job.Id, TimeSpan.FromMinutes(31));
        var (after, _) = await alive.ClaimAsync();

        // Assert
        Assert.Null(before);
        Assert.Equal(job.Id, after);
        Assert.Contains(server.Core.Jobs.History(job.Id), h => h.Event == "lease_expired");
    }

    [Fact]
    public async Task A_heartbeat_that_does_not_list_a_just_claimed_job_does_not_release_it()
    {
        // Arrange: the original released every job missing from claimed_job_ids, racing with the node's own claims
        await using var server = await NodeSpecs.StartAsync();
        var node = await SimulatedNode.RegisterAsync(server.Http);
        var (_, job) = server.QueueTranscription();
        await node.ClaimAsync();

        // Act
        using var heartbeat = await node.HeartbeatAsync(new { claimed_job_ids = Array.Empty<long>() });

        // Assert
        Assert.Equal(HttpStatusCode.OK, heartbeat.StatusCode);
        Assert.Equal(JobStatus.Running, server.Core.Jobs.Get(job.Id)!.Status);
    }

    [Fact]
    public async Task A_heartbeat_tells_the_node_which_of_its_jobs_it_no_longer_holds()
    {
        // Arrange
        await using var server = await NodeSpecs.StartAsync();
        var node = await SimulatedNode.RegisterAsync(server.Http);
        var (_, kept) = server.QueueTranscription("Kept");
        var (_, reset) = server.QueueTranscription("Reset by the admin");
        await node.ClaimAsync();
        await node.ClaimAsync();
        server.Core.Jobs.Reset(reset.Id);

        // Act
        using var heartbeat = await node.HeartbeatAsync(new { claimed_job_ids = new[] { kept.Id, reset.Id } });

        // Assert
        var json = await ApiServer.JsonAsync(heartbeat);
        Assert.Equal([reset.Id], json.GetProperty("lost_job_ids").EnumerateArray().Select(e => e.GetInt64()));
        Assert.True(json.GetProperty("distributed_enabled").GetBoolean());
    }

    [Fact]
    public async Task Progress_on_a_job_that_was_reset_answers_409_so_the_node_stops()
    {
        // Arrange
        await using var server = await NodeSpecs.StartAsync();
        var node = await SimulatedNode.RegisterAsync(server.Http);
        var (_, job) = server.QueueTranscription();
        await node.ClaimAsync();
        server.Core.Jobs.Reset(job.Id);

        // Act
        using var progress = await node.ProgressAsync(job.Id, 50);

        // Assert
        Assert.Equal(HttpStatusCode.Conflict, progress.StatusCode);
    }

    [Fact]
    public async Task A_late_result_is_accepted_when_nobody_completed_the_job_since()
    {
        // Arrange: the node's lease ran out and another node took the job, but the first one finished anyway
        await using var server = await NodeSpecs.StartAsync();
        var late = await SimulatedNode.RegisterAsync(server.Http, "late");
        var other = await SimulatedNode.RegisterAsync(server.Http, "other");
        var (episode, job) = server.QueueTranscription();
        await late.ClaimAsync();
        BackdateLease(server, job.Id, TimeSpan.FromMinutes(31));
        var (retaken, _) = await other.ClaimAsync();

        // Act
        using var lateCompletion = await late.CompleteAsync(job.Id, "The late node's words.");
        using var otherCompletion = await other.CompleteAsync(job.Id, "The second node's words.");

        // Assert
        Assert.Equal(job.Id, retaken);
        Assert.Equal(HttpStatusCode.OK, lateCompletion.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, otherCompletion.StatusCode);
        var transcript = await File.ReadAllTextAsync(server.Core.Layout.Resolve(server.Core.Episodes.Get(episode.Id)!.TranscriptPath!));
        Assert.Contains("The late node's words.", transcript);
        Assert.Equal(JobStatus.Completed, server.Core.Jobs.Get(job.Id)!.Status);
    }

    [Fact]
    public async Task A_late_result_is_refused_with_409_when_another_node_completed_the_job()
    {
        // Arrange
        await using var server = await NodeSpecs.StartAsync();
        var late = await SimulatedNode.RegisterAsync(server.Http, "late");
        var other = await SimulatedNode.RegisterAsync(server.Http, "other");
        var (episode, job) = server.QueueTranscription();
        await late.ClaimAsync();
        BackdateLease(server, job.Id, TimeSpan.FromMinutes(31));
        await other.ClaimAsync();
        using var first = await other.CompleteAsync(job.Id, "The second node's words.");

        // Act
        using var lateCompletion = await late.CompleteAsync(job.Id, "The late node's words.");

        // Assert
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, lateCompletion.StatusCode);
        var transcript = await File.ReadAllTextAsync(server.Core.Layout.Resolve(server.Core.Episodes.Get(episode.Id)!.TranscriptPath!));
        Assert.Contains("The second node's words.", transcript);
        Assert.DoesNotContain("late node", transcript);
    }

    /// <summary>Moves a job's lease expiry back, as if its holder had last reported <paramref name="silentFor"/> ago under a 30-minute timeout.</summary>
    private static void BackdateLease(ApiServer server, long jobId, TimeSpan silentFor)
    {
        using var connection = server.Core.Database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE jobs SET lease_expires_ms = $expires WHERE id = $id;";
        command.Parameters.AddWithValue("$expires", DateTimeOffset.UtcNow.Add(TimeSpan.FromMinutes(30) - silentFor).ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$id", jobId);
        command.ExecuteNonQuery();
    }
}
