using System.Net;
using Cast2md.Library;
using Cast2md.Queue;
using Cast2md.Tests.Api;
using Xunit;

namespace Cast2md.Tests.Distributed;

/// <summary>
/// No transcript lost, duplicated or put on the wrong episode, through the node protocol: ids never reused, late
/// results only while they can be the latest, a result and its episode committed together, leases renewed only by
/// their holder, episodes never left in <c>transcribing</c>.
/// </summary>
public class NodeOutcomeSpecs
{
    [Fact]
    public async Task A_deleted_jobs_id_is_never_handed_out_again_so_its_old_lease_token_cannot_touch_a_new_job()
    {
        // Arrange: node A holds the newest job; it is deleted (feed delete, force delete, clean-up) while A works on it
        await using var server = await NodeSpecs.StartAsync();
        var node = await SimulatedNode.RegisterAsync(server.Http);
        var (_, old) = server.QueueTranscription("Deleted podcast's episode");
        await node.ClaimAsync();
        using (var delete = await server.Http.DeleteAsync($"/api/queue/{old.Id}/force"))
            Assert.Equal(HttpStatusCode.OK, delete.StatusCode);

        // Act: another podcast's episode is queued, and A's spooled result of the old job arrives
        var (other, fresh) = server.QueueTranscription("Another podcast's episode");
        using var audio = await node.AudioAsync(old.Id);
        using var completion = await node.CompleteAsync(old.Id, "Words of the deleted episode.");

        // Assert
        Assert.True(fresh.Id > old.Id, $"the new job got id {fresh.Id}, the deleted one had {old.Id}");
        Assert.Equal(HttpStatusCode.NotFound, audio.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, completion.StatusCode);
        var untouched = server.Core.Episodes.Get(other.Id)!;
        Assert.Null(untouched.TranscriptPath);
        Assert.Equal(JobStatus.Queued, server.Core.Jobs.Get(fresh.Id)!.Status);
    }

    [Fact]
    public async Task A_late_result_never_replaces_the_transcript_of_a_newer_job()
    {
        // Arrange: A's job is reset, B takes it and fails it for good; a newer job (another model) completes
        await using var server = await NodeSpecs.StartAsync();
        var a = await SimulatedNode.RegisterAsync(server.Http, "a");
        var b = await SimulatedNode.RegisterAsync(server.Http, "b", models: ["base"]);
        var (episode, first) = server.QueueTranscription();
        await a.ClaimAsync();
        Assert.Equal(TransitionResult.Done, server.Core.Outcomes.Reset(first.Id, "spec"));
        await b.ClaimAsync();
        using (var fail = await b.FailAsync(first.Id, "Invalid data found when processing input", retry: false))
            Assert.Equal(HttpStatusCode.OK, fail.StatusCode);
        var newer = server.Core.Jobs.Enqueue(episode.Id, JobType.Transcribe, actor: "spec", model: "base").Job;
        Assert.Equal(newer.Id, (await b.ClaimAsync()).JobId);
        using (var done = await CompleteWithModelAsync(b, newer.Id, "The newer transcript.", "base"))
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);

        // Act: A's upload of the old job finally gets through
        using var late = await a.CompleteAsync(first.Id, "The old transcript.");

        // Assert
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        var stored = server.Core.Episodes.Get(episode.Id)!;
        Assert.Equal("base", stored.TranscriptModel);
        Assert.Contains("The newer transcript.", await File.ReadAllTextAsync(server.Core.Layout.Resolve(stored.TranscriptPath!)));
        Assert.Equal(JobStatus.Failed, server.Core.Jobs.Get(first.Id)!.Status);
        Assert.Empty(StagedResults(server));
    }

    [Fact]
    public async Task A_late_result_is_refused_after_its_job_was_cancelled_and_queued_again()
    {
        // Arrange
        await using var server = await NodeSpecs.StartAsync();
        var node = await SimulatedNode.RegisterAsync(server.Http);
        var (episode, job) = server.QueueTranscription();
        await node.ClaimAsync();
        server.Core.Outcomes.Cancel(job.Id, "spec");
        server.Core.Outcomes.Retry(job.Id, "spec");

        // Act
        using var late = await node.CompleteAsync(job.Id);

        // Assert
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Null(server.Core.Episodes.Get(episode.Id)!.TranscriptPath);
        Assert.Equal(JobStatus.Queued, server.Core.Jobs.Get(job.Id)!.Status);
    }

    [Fact]
    public async Task A_result_whose_episode_update_fails_is_not_acknowledged_and_its_retry_lands_it()
    {
        // Arrange: the episode row cannot be written (as with a full disk or a database error) when the result arrives
        await using var server = await NodeSpecs.StartAsync();
        var node = await SimulatedNode.RegisterAsync(server.Http);
        var (episode, job) = server.QueueTranscription();
        await node.ClaimAsync();
        Execute(
            server,
            "CREATE TRIGGER refuse_transcripts BEFORE UPDATE OF transcript_path ON episodes BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;"
        );

        // Act
        using var first = await node.CompleteAsync(job.Id, "Words that must not be lost.");
        var afterFirst = server.Core.Jobs.Get(job.Id)!;
        Execute(server, "DROP TRIGGER refuse_transcripts;");
        using var retry = await node.CompleteAsync(job.Id, "Words that must not be lost.");

        // Assert: the first answer was not a success, so the node kept its spooled result; nothing was half-committed
        Assert.Equal(HttpStatusCode.InternalServerError, first.StatusCode);
        Assert.Equal(JobStatus.Running, afterFirst.Status);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("Job completed successfully", (await ApiServer.JsonAsync(retry)).GetProperty("message").GetString());
        var stored = server.Core.Episodes.Get(episode.Id)!;
        Assert.Equal(EpisodeStatus.Completed, stored.Status);
        Assert.Contains("Words that must not be lost.", await File.ReadAllTextAsync(server.Core.Layout.Resolve(stored.TranscriptPath!)));
        Assert.Empty(StagedResults(server));
    }

    [Fact]
    public async Task A_heartbeat_naming_another_nodes_job_renews_nothing_of_it()
    {
        // Arrange: B holds the job; A reports it as its current job (a bug, or A still uploading a job it lost)
        await using var server = await NodeSpecs.StartAsync(remoteJobTimeoutMinutes: 30);
        var a = await SimulatedNode.RegisterAsync(server.Http, "a");
        var b = await SimulatedNode.RegisterAsync(server.Http, "b");
        var (_, job) = server.QueueTranscription();
        await b.ClaimAsync();
        using (await b.ProgressAsync(job.Id, 10)) { }
        Execute(server, $"UPDATE jobs SET lease_expires_ms = {DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds()} WHERE id = {job.Id};");

        // Act
        using var heartbeat = await a.HeartbeatAsync(new { current_job_id = job.Id, progress_percent = 77.0 });

        // Assert
        Assert.Equal(HttpStatusCode.OK, heartbeat.StatusCode);
        Assert.Contains(job.Id, (await ApiServer.JsonAsync(heartbeat)).GetProperty("lost_job_ids").EnumerateArray().Select(e => e.GetInt64()));
        var held = server.Core.Jobs.Get(job.Id)!;
        Assert.Equal((10.0, $"node:{b.Id}"), (held.ProgressPercent, held.ClaimedBy));
        Assert.True(held.LeaseExpiresAt < DateTimeOffset.UtcNow.AddMinutes(2), $"the lease was extended to {held.LeaseExpiresAt:O}");
    }

    [Fact]
    public async Task An_episode_is_never_left_transcribing_after_a_cancel_a_reset_a_reset_stuck_or_the_last_reclaim()
    {
        // Arrange: four episodes whose transcriptions two nodes hold
        await using var server = await NodeSpecs.StartAsync();
        var a = await SimulatedNode.RegisterAsync(server.Http, "a");
        var b = await SimulatedNode.RegisterAsync(server.Http, "b");
        var queued = Enumerable.Range(1, 4).Select(i => server.QueueTranscription($"Episode {i}")).ToList();
        foreach (var node in new[] { a, a, b, b })
            Assert.NotNull((await node.ClaimAsync()).JobId);
        Assert.All(queued, q => Assert.Equal(EpisodeStatus.Transcribing, server.Core.Episodes.Get(q.Episode.Id)!.Status));
        var (cancelled, reset, stuck, reaped) = (queued[0], queued[1], queued[2], queued[3]);

        // Act
        using var cancel = await server.PostAsync($"/api/queue/{cancelled.Job.Id}/cancel");
        using var resetCall = await server.PostAsync($"/api/queue/{reset.Job.Id}/reset");
        server.Backdate(stuck.Job.Id, TimeSpan.FromHours(2));
        using var resetStuck = await server.PostAsync("/api/queue/batch/reset-stuck?threshold_minutes=60");
        Execute(server, $"UPDATE jobs SET attempts = max_attempts, lease_expires_ms = 0 WHERE id = {reaped.Job.Id};");
        server.Core.Outcomes.ReapExpiredLeases();

        // Assert
        Assert.Equal(EpisodeStatus.AudioReady, server.Core.Episodes.Get(cancelled.Episode.Id)!.Status);
        Assert.Equal(EpisodeStatus.AudioReady, server.Core.Episodes.Get(reset.Episode.Id)!.Status);
        Assert.Equal(EpisodeStatus.AudioReady, server.Core.Episodes.Get(stuck.Episode.Id)!.Status);
        var failed = server.Core.Episodes.Get(reaped.Episode.Id)!;
        Assert.Equal(EpisodeStatus.Failed, failed.Status);
        Assert.Equal(JobStatus.Failed, server.Core.Jobs.Get(reaped.Job.Id)!.Status);
    }

    [Fact]
    public async Task A_transcription_again_replaces_every_format_not_only_the_markdown()
    {
        // Arrange: the text format was written (and kept) from the first transcript
        await using var server = await NodeSpecs.StartAsync();
        var node = await SimulatedNode.RegisterAsync(server.Http, models: ["base"]);
        var (episode, first) = server.QueueTranscription();
        await node.ClaimAsync();
        using (await node.CompleteAsync(first.Id, "The first words.")) { }
        using (var before = await server.GetAsync($"/api/episodes/{episode.Id}/transcript?format=txt"))
            Assert.Contains("The first words.", await before.Content.ReadAsStringAsync());

        // Act
        var again = server.Core.Jobs.Enqueue(episode.Id, JobType.Transcribe, actor: "spec", model: "base").Job;
        await node.ClaimAsync();
        using (var done = await CompleteWithModelAsync(node, again.Id, "The second words.", "base"))
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        using var txt = await server.GetAsync($"/api/episodes/{episode.Id}/transcript?format=txt");
        using var srt = await server.GetAsync($"/api/episodes/{episode.Id}/transcript?format=srt");

        // Assert
        var text = await txt.Content.ReadAsStringAsync();
        Assert.Contains("The second words.", text);
        Assert.DoesNotContain("The first words.", text);
        Assert.Contains("The second words.", await srt.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_node_holds_at_most_two_jobs_however_often_it_claims()
    {
        // Arrange: a client that ignores the node's own rule
        await using var server = await NodeSpecs.StartAsync();
        var greedy = await SimulatedNode.RegisterAsync(server.Http, "greedy");
        var fair = await SimulatedNode.RegisterAsync(server.Http, "fair");
        for (var i = 1; i <= 5; i++)
            server.QueueTranscription($"Episode {i}");

        // Act
        var greedyJobs = new List<long?>();
        for (var i = 0; i < 5; i++)
            greedyJobs.Add((await greedy.ClaimAsync()).JobId);
        var fairJob = (await fair.ClaimAsync()).JobId;

        // Assert
        Assert.Equal(2, greedyJobs.Count(id => id is not null));
        Assert.Equal(2, server.Core.Jobs.HeldBy($"node:{greedy.Id}").Count);
        Assert.NotNull(fairJob);
    }

    [Fact]
    public async Task Reset_stuck_leaves_a_long_job_whose_node_keeps_reporting()
    {
        // Arrange: a three-hour episode on a slow node, claimed long ago, progress reported just now
        await using var server = await NodeSpecs.StartAsync();
        var node = await SimulatedNode.RegisterAsync(server.Http);
        var (_, job) = server.QueueTranscription("Three-hour episode");
        await node.ClaimAsync();
        server.Backdate(job.Id, TimeSpan.FromHours(2));
        using (await node.ProgressAsync(job.Id, 61)) { }

        // Act
        using var reset = await server.PostAsync("/api/queue/batch/reset-stuck?threshold_minutes=30");

        // Assert
        Assert.Equal(0, (await ApiServer.JsonAsync(reset)).GetProperty("queued").GetInt32());
        var held = server.Core.Jobs.Get(job.Id)!;
        Assert.Equal((JobStatus.Running, $"node:{node.Id}"), (held.Status, held.ClaimedBy));
    }

    [Fact]
    public async Task A_node_asking_for_audio_the_server_lost_gets_its_job_taken_back_and_the_audio_is_downloaded_again()
    {
        // Arrange
        await using var server = await NodeSpecs.StartAsync();
        var node = await SimulatedNode.RegisterAsync(server.Http);
        var (episode, job) = server.QueueTranscription();
        await node.ClaimAsync();
        File.Delete(server.Core.Layout.Resolve(episode.AudioPath!));

        // Act
        using var audio = await node.AudioAsync(job.Id);

        // Assert: not a failure of the job (no attempt used), and not permanent
        Assert.Equal(HttpStatusCode.Conflict, audio.StatusCode);
        var released = server.Core.Jobs.Get(job.Id)!;
        Assert.Equal((JobStatus.Queued, 0, false), (released.Status, released.Attempts, released.PermanentFailure));
        var stored = server.Core.Episodes.Get(episode.Id)!;
        Assert.Equal((EpisodeStatus.NeedsAudio, (string?)null), (stored.Status, stored.AudioPath));
        Assert.Single(server.Core.Jobs.List(JobStatus.Queued, JobType.Download), d => d.EpisodeId == episode.Id);
    }

    [Fact]
    public async Task Two_holders_completing_at_once_leave_exactly_the_winners_transcript()
    {
        await using var server = await NodeSpecs.StartAsync();
        var a = await SimulatedNode.RegisterAsync(server.Http, "a");
        var b = await SimulatedNode.RegisterAsync(server.Http, "b");
        for (var round = 0; round < 8; round++)
        {
            // Arrange: A lost the job to a reset, B holds it now
            var (episode, job) = server.QueueTranscription($"Race {round}");
            await a.ClaimAsync();
            server.Core.Outcomes.Reset(job.Id, "spec");
            await b.ClaimAsync();

            // Act
            var racing = await Task.WhenAll(
                a.CompleteAsync(job.Id, $"Words of A in round {round}."),
                b.CompleteAsync(job.Id, $"Words of B in round {round}.")
            );

            // Assert
            var winners = racing.Where(r => r.StatusCode == HttpStatusCode.OK).ToList();
            Assert.Single(winners);
            var winner = winners[0] == racing[0] ? "A" : "B";
            var stored = server.Core.Episodes.Get(episode.Id)!;
            var markdown = await File.ReadAllTextAsync(server.Core.Layout.Resolve(stored.TranscriptPath!));
            Assert.Contains($"Words of {winner} in round {round}.", markdown);
            var completedBy = server.Core.Jobs.Get(job.Id)!.ClaimedBy;
            Assert.Equal(winner == "A" ? $"node:{a.Id}" : $"node:{b.Id}", completedBy);
            foreach (var response in racing)
                response.Dispose();
        }
        Assert.Empty(StagedResults(server));
    }

    private static Task<HttpResponseMessage> CompleteWithModelAsync(SimulatedNode node, long jobId, string text, string model) =>
        node.JobCallAsync(
            jobId,
            "complete",
            new
            {
                whisper_model = model,
                transcript = new
                {
                    language = "en",
                    model,
                    segments = new[]
                    {
                        new
                        {
                            start_ms = 0L,
                            end_ms = 1_500L,
                            start = 0.0m,
                            end = 1.5m,
                            text,
                        },
                    },
                },
            }
        );

    private static string[] StagedResults(ApiServer server)
    {
        var staging = Path.Combine(server.Core.Layout.TempDirectory, "results");
        return Directory.Exists(staging) ? Directory.GetFiles(staging) : [];
    }

    private static void Execute(ApiServer server, string sql)
    {
        using var connection = server.Core.Database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
