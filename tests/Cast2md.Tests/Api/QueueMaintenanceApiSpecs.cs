using System.Net;
using Cast2md.Library;
using Cast2md.Queue;
using Cast2md.Services;
using Xunit;

namespace Cast2md.Tests.Api;

public sealed class QueueMaintenanceApiSpecs
{
    private static async Task<Episode> TranscribedAsync(ApiServer server, long feedId, string title, string? model = null)
    {
        var episode = await server.GiveTranscriptAsync(server.GiveAudio(server.AddEpisode(feedId, title)));
        if (model is not null)
            server.Core.Episodes.SetTranscript(episode.Id, episode.TranscriptPath!, "whisper", model, "en");
        return server.Core.Episodes.Get(episode.Id)!;
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_retranscribe_an_episode_transcribed_with_another_model()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var feed = server.AddFeed();
        var old = await TranscribedAsync(server, feed.Id, "Old model");

        // Act
        var json = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.PostAsync($"/api/queue/episodes/{old.Id}/retranscribe"));

        // Assert
        var job = Assert.Single(server.Core.Jobs.List(episodeId: old.Id));
        Assert.Equal((JobType.Transcribe, job.Id), (job.Type, json.GetProperty("job_id").GetInt64()));
        Assert.Equal(EpisodeStatus.AudioReady, server.Core.Episodes.Get(old.Id)!.Status);
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_not_retranscribe_with_the_same_model_an_unfinished_or_missing_episode_or_twice_at_once()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var feed = server.AddFeed();
        var current = await TranscribedAsync(server, feed.Id, "Current", QueueService.CurrentModel(server.Core.Settings));
        var unfinished = server.AddEpisode(feed.Id, "New");
        var queued = await TranscribedAsync(server, feed.Id, "Queued");
        server.Enqueue(queued.Id, JobType.Transcribe);

        // Act
        var same = await server.PostAsync($"/api/queue/episodes/{current.Id}/retranscribe");
        var notDone = await server.PostAsync($"/api/queue/episodes/{unfinished.Id}/retranscribe");
        var missing = await server.PostAsync("/api/queue/episodes/999/retranscribe");
        var twice = await server.PostAsync($"/api/queue/episodes/{queued.Id}/retranscribe");

        // Assert
        await ApiAssert.ErrorAsync(HttpStatusCode.BadRequest, same, "already transcribed");
        await ApiAssert.ErrorAsync(HttpStatusCode.BadRequest, notDone, "only completed");
        await ApiAssert.ErrorAsync(HttpStatusCode.NotFound, missing, "Episode 999");
        await ApiAssert.ErrorAsync(HttpStatusCode.Conflict, twice, "already has a transcribe job");
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_see_and_retranscribe_a_feeds_episodes_made_with_another_model()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var feed = server.AddFeed();
        var model = QueueService.CurrentModel(server.Core.Settings);
        var old = await TranscribedAsync(server, feed.Id, "Old");
        await TranscribedAsync(server, feed.Id, "Current", model);
        server.AddEpisode(feed.Id, "New");

        // Act
        var info = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.GetAsync($"/api/queue/retranscribe/info/{feed.Id}"));
        var batch = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.PostAsync($"/api/queue/batch/feed/{feed.Id}/retranscribe"));
        var after = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.GetAsync($"/api/queue/retranscribe/info/{feed.Id}"));
        var missing = await server.GetAsync("/api/queue/retranscribe/info/999");

        // Assert
        ApiAssert.Keys(info, "current_model", "needs_retranscription");
        Assert.Equal((model, 1), (info.GetProperty("current_model").GetString(), info.GetProperty("needs_retranscription").GetInt32()));
        Assert.EndsWith(".bin", model);
        Assert.Equal((1, 0), (batch.GetProperty("queued").GetInt32(), batch.GetProperty("skipped").GetInt32()));
        Assert.Equal(JobType.Transcribe, Assert.Single(server.Core.Jobs.List()).Type);
        Assert.Equal(old.Id, Assert.Single(server.Core.Jobs.List()).EpisodeId);
        Assert.Equal(0, after.GetProperty("needs_retranscription").GetInt32());
        await ApiAssert.ErrorAsync(HttpStatusCode.NotFound, missing, "Feed 999");
        await ApiAssert.ErrorAsync(HttpStatusCode.NotFound, await server.PostAsync("/api/queue/batch/feed/999/retranscribe"), "Feed 999");
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_force_a_publisher_transcript_retry_for_a_waiting_episode()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var feed = server.AddFeed();
        var waiting = server.AddEpisode(feed.Id, "Waiting", transcriptUrl: "https://example.test/t.vtt");
        server.Core.Episodes.SetStatus(waiting.Id, EpisodeStatus.AwaitingTranscript);
        var noLink = server.AddEpisode(feed.Id, "No link");
        server.Core.Episodes.SetStatus(noLink.Id, EpisodeStatus.NeedsAudio);
        var fresh = server.AddEpisode(feed.Id, "Fresh", transcriptUrl: "https://example.test/t2.vtt");

        // Act
        var json = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.PostAsync($"/api/queue/episodes/{waiting.Id}/force-transcript-retry"));
        var again = await server.PostAsync($"/api/queue/episodes/{waiting.Id}/force-transcript-retry");
        var withoutLink = await server.PostAsync($"/api/queue/episodes/{noLink.Id}/force-transcript-retry");
        var wrongState = await server.PostAsync($"/api/queue/episodes/{fresh.Id}/force-transcript-retry");
        var missing = await server.PostAsync("/api/queue/episodes/999/force-transcript-retry");

        // Assert
        var job = Assert.Single(server.Core.Jobs.List(episodeId: waiting.Id));
        Assert.Equal((JobType.TranscriptDownload, job.Id), (job.Type, json.GetProperty("job_id").GetInt64()));
        Assert.Equal(EpisodeStatus.New, server.Core.Episodes.Get(waiting.Id)!.Status);
        await ApiAssert.ErrorAsync(HttpStatusCode.BadRequest, again, "only awaiting_transcript or needs_audio");
        await ApiAssert.ErrorAsync(HttpStatusCode.BadRequest, withoutLink, "no publisher transcript link");
        await ApiAssert.ErrorAsync(HttpStatusCode.BadRequest, wrongState, "is new");
        await ApiAssert.ErrorAsync(HttpStatusCode.NotFound, missing, "Episode 999");
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_not_force_a_transcript_retry_while_one_is_queued()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var feed = server.AddFeed();
        var waiting = server.AddEpisode(feed.Id, "Waiting", transcriptUrl: "https://example.test/t.vtt");
        server.Core.Episodes.SetStatus(waiting.Id, EpisodeStatus.AwaitingTranscript);
        server.Enqueue(waiting.Id, JobType.TranscriptDownload);

        // Act
        var response = await server.PostAsync($"/api/queue/episodes/{waiting.Id}/force-transcript-retry");

        // Assert
        await ApiAssert.ErrorAsync(HttpStatusCode.Conflict, response, "already has a transcript_download job");
        Assert.Equal(EpisodeStatus.AwaitingTranscript, server.Core.Episodes.Get(waiting.Id)!.Status);
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_transcribe_every_downloaded_episode_of_a_feed()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var feed = server.AddFeed();
        var downloaded = server.GiveAudio(server.AddEpisode(feed.Id, "Downloaded"));
        server.AddEpisode(feed.Id, "Not downloaded");

        // Act
        var json = await ApiAssert.StatusAsync(
            HttpStatusCode.OK,
            await server.PostAsync($"/api/queue/batch/feed/{feed.Id}/transcribe", """{"priority": 3}""")
        );
        var missing = await server.PostAsync("/api/queue/batch/feed/999/transcribe");

        // Assert
        ApiAssert.Keys(json, "queued", "skipped", "message");
        Assert.Equal((1, 0), (json.GetProperty("queued").GetInt32(), json.GetProperty("skipped").GetInt32()));
        var job = Assert.Single(server.Core.Jobs.List());
        Assert.Equal((downloaded.Id, JobType.Transcribe, 3), (job.EpisodeId, job.Type, job.Priority));
        await ApiAssert.ErrorAsync(HttpStatusCode.NotFound, missing, "Feed 999");
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_fetch_the_publisher_transcripts_of_a_feeds_new_episodes()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var feed = server.AddFeed();
        var linked = server.AddEpisode(feed.Id, "Linked", transcriptUrl: "https://example.test/t.vtt");
        server.AddEpisode(feed.Id, "Unlinked");
        var alreadyQueued = server.AddEpisode(feed.Id, "Queued", transcriptUrl: "https://example.test/q.vtt");
        server.Enqueue(alreadyQueued.Id, JobType.TranscriptDownload);

        // Act
        var json = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.PostAsync($"/api/queue/batch/feed/{feed.Id}/transcript-download"));
        var missing = await server.PostAsync("/api/queue/batch/feed/999/transcript-download");

        // Assert
        Assert.Equal((1, 1), (json.GetProperty("queued").GetInt32(), json.GetProperty("skipped").GetInt32()));
        Assert.Equal(JobType.TranscriptDownload, Assert.Single(server.Core.Jobs.List(episodeId: linked.Id)).Type);
        await ApiAssert.ErrorAsync(HttpStatusCode.NotFound, missing, "Feed 999");
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_process_every_new_episode_across_feeds()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var first = server.AddFeed("First");
        var second = server.AddFeed("Second");
        var one = server.AddEpisode(first.Id, "One");
        var two = server.AddEpisode(second.Id, "Two");
        var done = await server.GiveTranscriptAsync(server.AddEpisode(second.Id, "Done"));

        // Act
        var json = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.PostAsync("/api/queue/batch/all/process"));
        var again = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.PostAsync("/api/queue/batch/all/process"));

        // Assert
        Assert.Equal((2, 0), (json.GetProperty("queued").GetInt32(), json.GetProperty("skipped").GetInt32()));
        Assert.Equal(new[] { one.Id, two.Id }, server.Core.Jobs.List().Select(j => j.EpisodeId).Order().ToArray());
        Assert.All(server.Core.Jobs.List(), j => Assert.Equal(JobType.Download, j.Type));
        Assert.Empty(server.Core.Jobs.List(episodeId: done.Id));
        Assert.Equal((0, 2), (again.GetProperty("queued").GetInt32(), again.GetProperty("skipped").GetInt32()));
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_queue_a_range_of_a_feeds_episodes_by_position_or_date()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var feed = server.AddFeed();
        var day = new DateTimeOffset(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);
        var episodes = Enumerable.Range(0, 5).Select(i => server.AddEpisode(feed.Id, $"Day {i}", publishedAt: day.AddDays(i))).ToList();

        // Act: positions 2-3 of the newest-first list are days 3 and 2; the dates pick days 0 and 1.
        var byPosition = await ApiAssert.StatusAsync(
            HttpStatusCode.OK,
            await server.PostAsync("/api/queue/batch/range", $$"""{"feed_id": {{feed.Id}}, "position_from": 2, "position_to": 3, "priority": 4}""")
        );
        var byDate = await ApiAssert.StatusAsync(
            HttpStatusCode.OK,
            await server.PostAsync("/api/queue/batch/range", $$"""{"feed_id": {{feed.Id}}, "date_from": "2026-01-01", "date_to": "2026-01-02"}""")
        );
        var noFeed = await server.PostAsync("/api/queue/batch/range", """{"position_from": 1}""");
        var unknownFeed = await server.PostAsync("/api/queue/batch/range", """{"feed_id": 999}""");
        var badDate = await server.PostAsync("/api/queue/batch/range", $$"""{"feed_id": {{feed.Id}}, "date_from": "yesterday"}""");
        var badPositions = await server.PostAsync("/api/queue/batch/range", $$"""{"feed_id": {{feed.Id}}, "position_from": 3, "position_to": 1}""");

        // Assert
        Assert.Equal((2, 0), (byPosition.GetProperty("queued").GetInt32(), byPosition.GetProperty("skipped").GetInt32()));
        Assert.Equal((2, 0), (byDate.GetProperty("queued").GetInt32(), byDate.GetProperty("skipped").GetInt32()));
        var queued = server.Core.Jobs.List().ToDictionary(j => j.EpisodeId, j => j.Priority);
        Assert.Equal(new[] { episodes[0].Id, episodes[1].Id, episodes[2].Id, episodes[3].Id }, queued.Keys.Order().ToArray());
        Assert.Equal((4, 4, 10), (queued[episodes[3].Id], queued[episodes[2].Id], queued[episodes[0].Id]));
        await ApiAssert.ErrorAsync(HttpStatusCode.BadRequest, noFeed, "feed_id");
        await ApiAssert.ErrorAsync(HttpStatusCode.NotFound, unknownFeed, "Feed 999");
        await ApiAssert.ErrorAsync(HttpStatusCode.BadRequest, badDate, "date_from");
        await ApiAssert.ErrorAsync(HttpStatusCode.BadRequest, badPositions, "position_from");
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_reset_stuck_jobs_in_a_batch_and_those_at_their_last_attempt_fail()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var feed = server.AddFeed();
        var stuck = server.Enqueue(server.AddEpisode(feed.Id, "Stuck").Id);
        server.Claim();
        server.Backdate(stuck.Id, TimeSpan.FromHours(2));
        var exhausted = server.Enqueue(server.AddEpisode(feed.Id, "Exhausted").Id, JobType.TranscriptDownload);
        using (var connection = server.Core.Database.Connect())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "UPDATE jobs SET attempts = max_attempts - 1 WHERE id = $id;";
            command.Parameters.AddWithValue("$id", exhausted.Id);
            command.ExecuteNonQuery();
        }
        server.Claim(JobType.TranscriptDownload);
        server.Backdate(exhausted.Id, TimeSpan.FromHours(2));
        var fresh = server.Enqueue(server.AddEpisode(feed.Id, "Fresh").Id);
        server.Claim();

        // Act
        var json = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.PostAsync("/api/queue/batch/reset-stuck?threshold_minutes=60"));
        var bad = await server.PostAsync("/api/queue/batch/reset-stuck?threshold_minutes=0");

        // Assert
        Assert.Equal((1, 1), (json.GetProperty("queued").GetInt32(), json.GetProperty("skipped").GetInt32()));
        Assert.Equal(JobStatus.Queued, server.Core.Jobs.Get(stuck.Id)!.Status);
        Assert.Equal(JobStatus.Failed, server.Core.Jobs.Get(exhausted.Id)!.Status);
        Assert.Equal(JobStatus.Running, server.Core.Jobs.Get(fresh.Id)!.Status);
        await ApiAssert.ErrorAsync(HttpStatusCode.BadRequest, bad, "threshold_minutes");
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_delete_old_finished_jobs_with_their_history()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var feed = server.AddFeed();
        var old = server.Enqueue(server.AddEpisode(feed.Id, "Old").Id);
        server.Core.Jobs.Cancel(old.Id);
        using (var connection = server.Core.Database.Connect())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "UPDATE jobs SET completed_ms = completed_ms - $age WHERE id = $id;";
            command.Parameters.AddWithValue("$age", (long)TimeSpan.FromDays(10).TotalMilliseconds);
            command.Parameters.AddWithValue("$id", old.Id);
            command.ExecuteNonQuery();
        }
        var recent = server.Enqueue(server.AddEpisode(feed.Id, "Recent").Id);
        server.Core.Jobs.Cancel(recent.Id);
        var queued = server.Enqueue(server.AddEpisode(feed.Id, "Queued").Id);

        // Act
        var json = await ApiAssert.StatusAsync(
            HttpStatusCode.OK,
            await server.SendJsonAsync(HttpMethod.Delete, "/api/queue/batch/completed?older_than_days=7")
        );
        var bad = await server.SendJsonAsync(HttpMethod.Delete, "/api/queue/batch/completed?older_than_days=-1");

        // Assert
        ApiAssert.Keys(json, "deleted_count", "message");
        Assert.Equal(1, json.GetProperty("deleted_count").GetInt32());
        Assert.Null(server.Core.Jobs.Get(old.Id));
        Assert.Empty(server.Core.Jobs.History(old.Id));
        Assert.NotNull(server.Core.Jobs.Get(recent.Id));
        Assert.NotNull(server.Core.Jobs.Get(queued.Id));
        await ApiAssert.ErrorAsync(HttpStatusCode.BadRequest, bad, "older_than_days");
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_force_delete_a_running_job_and_its_worker_loses_the_lease()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var feed = server.AddFeed();
        var job = server.Enqueue(server.AddEpisode(feed.Id).Id);
        var lease = server.Claim();

        // Act
        var json = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.SendJsonAsync(HttpMethod.Delete, $"/api/queue/{job.Id}/force"));
        var missing = await server.SendJsonAsync(HttpMethod.Delete, $"/api/queue/{job.Id}/force");

        // Assert
        Assert.Contains("deleted", json.GetProperty("message").GetString());
        Assert.Null(server.Core.Jobs.Get(job.Id));
        Assert.NotEqual(TransitionResult.Done, server.Core.Jobs.Complete(job.Id, lease.Token));
        await ApiAssert.ErrorAsync(HttpStatusCode.NotFound, missing, $"Job {job.Id}");
    }
}
