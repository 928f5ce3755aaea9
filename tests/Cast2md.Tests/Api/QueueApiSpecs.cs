using System.Net;
using Cast2md.Queue;
using Xunit;

namespace Cast2md.Tests.Api;

public sealed class QueueApiSpecs
{
    [Theory(Timeout = 20000)]
    [InlineData("transcript-download", "transcript_download")]
    [InlineData("download", "download")]
    [InlineData("process", "download")]
    public async Task I_can_queue_an_episode_and_get_the_job_id(string action, string jobType)
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var episode = server.AddEpisode(server.AddFeed().Id, transcriptUrl: "https://example.test/t.vtt");

        // Act
        var response = await server.PostAsync($"/api/queue/episodes/{episode.Id}/{action}");

        // Assert
        var json = await ApiAssert.StatusAsync(HttpStatusCode.OK, response);
        ApiAssert.Keys(json, "message", "job_id");
        var job = server.Core.Jobs.Get(json.GetProperty("job_id").GetInt64())!;
        Assert.Equal(jobType, job.Type.ToName());
        Assert.Equal(10, job.Priority);
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_queue_a_transcription_with_a_priority_once_the_audio_is_there()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var feed = server.AddFeed();
        var withAudio = server.GiveAudio(server.AddEpisode(feed.Id, "Audio"));
        var withoutAudio = server.AddEpisode(feed.Id, "No audio");

        // Act
        var queued = await server.PostAsync($"/api/queue/episodes/{withAudio.Id}/transcribe", """{"priority": 3}""");
        var refused = await server.PostAsync($"/api/queue/episodes/{withoutAudio.Id}/transcribe");
        var processed = await server.PostAsync($"/api/queue/episodes/{withAudio.Id}/process");

        // Assert
        var json = await ApiAssert.StatusAsync(HttpStatusCode.OK, queued);
        var job = server.Core.Jobs.Get(json.GetProperty("job_id").GetInt64())!;
        Assert.Equal((JobType.Transcribe, 3), (job.Type, job.Priority));
        await ApiAssert.ErrorAsync(HttpStatusCode.BadRequest, refused, "not downloaded");
        await ApiAssert.ErrorAsync(HttpStatusCode.Conflict, processed, "already has");
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_try_to_queue_an_episode_twice_or_one_that_does_not_exist_and_get_a_409_or_404()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var feed = server.AddFeed();
        var episode = server.AddEpisode(feed.Id);
        var transcribed = await server.GiveTranscriptAsync(server.AddEpisode(feed.Id, "Transcribed"));
        await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.PostAsync($"/api/queue/episodes/{episode.Id}/download"));

        // Act
        var twice = await server.PostAsync($"/api/queue/episodes/{episode.Id}/download");
        var hasTranscript = await server.PostAsync($"/api/queue/episodes/{transcribed.Id}/transcript-download");
        var missing = await server.PostAsync("/api/queue/episodes/999/download");
        var badPriority = await server.PostAsync($"/api/queue/episodes/{transcribed.Id}/download", """{"priority": -1}""");

        // Assert
        await ApiAssert.ErrorAsync(HttpStatusCode.Conflict, twice, "already has a download job");
        await ApiAssert.ErrorAsync(HttpStatusCode.Conflict, hasTranscript, "already has a transcript");
        await ApiAssert.ErrorAsync(HttpStatusCode.NotFound, missing, "Episode 999");
        await ApiAssert.ErrorAsync(HttpStatusCode.BadRequest, badPriority, "priority");
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_list_the_queue_in_the_order_workers_take_jobs_and_filter_it_by_type()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var feed = server.AddFeed();
        var later = server.Enqueue(server.AddEpisode(feed.Id, "Later").Id, JobType.Download, priority: 10);
        var sooner = server.Enqueue(server.AddEpisode(feed.Id, "Sooner").Id, JobType.Download, priority: 1);
        var transcript = server.Enqueue(server.AddEpisode(feed.Id, "Transcript").Id, JobType.TranscriptDownload, priority: 5);

        // Act
        var all = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.GetAsync("/api/queue"));
        var downloads = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.GetAsync("/api/queue?job_type=download&limit=1"));
        var badType = await server.GetAsync("/api/queue?job_type=embed");

        // Assert
        Assert.Equal([sooner.Id, transcript.Id, later.Id], all.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("id").GetInt64()));
        var job = Assert.Single(downloads.GetProperty("jobs").EnumerateArray());
        ApiAssert.Keys(
            job,
            "id",
            "episode_id",
            "job_type",
            "priority",
            "status",
            "attempts",
            "max_attempts",
            "scheduled_at",
            "started_at",
            "completed_at",
            "next_retry_at",
            "error_message",
            "created_at",
            "claimed_by",
            "progress_percent",
            "lease_expires_at",
            "permanent_failure"
        );
        Assert.Equal(sooner.Id, job.GetProperty("id").GetInt64());
        Assert.Equal("queued", job.GetProperty("status").GetString());
        ApiAssert.IsoUtc(job.GetProperty("scheduled_at"));
        ApiAssert.IsoUtc(job.GetProperty("created_at"));
        await ApiAssert.ErrorAsync(HttpStatusCode.BadRequest, badType, "embed");
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_reset_a_running_job_through_the_api()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var job = server.Enqueue(server.AddEpisode(server.AddFeed().Id).Id);
        var lease = server.Claim();

        // Act
        var response = await server.PostAsync($"/api/queue/{job.Id}/reset");
        var again = await server.PostAsync($"/api/queue/{job.Id}/reset");

        // Assert
        var json = await ApiAssert.StatusAsync(HttpStatusCode.OK, response);
        Assert.Equal(job.Id, json.GetProperty("job_id").GetInt64());
        var reset = server.Core.Jobs.Get(job.Id)!;
        Assert.Equal(JobStatus.Queued, reset.Status);
        Assert.Null(reset.ClaimedBy);
        Assert.False(server.Core.Jobs.RenewLease(job.Id, lease.Token, TimeSpan.FromMinutes(1)));
        await ApiAssert.ErrorAsync(HttpStatusCode.BadRequest, again, "only running jobs");
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_retry_a_failed_job_through_the_api_and_its_attempts_start_over()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var job = server.Enqueue(server.AddEpisode(server.AddFeed().Id).Id);
        var lease = server.Claim();
        server.Core.Jobs.Fail(job.Id, lease.Token, "HTTP 404", permanent: true);
        var queued = server.Enqueue(server.AddEpisode(server.AddFeed("Other").Id).Id);

        // Act
        var response = await server.PostAsync($"/api/queue/{job.Id}/retry");
        var notFailed = await server.PostAsync($"/api/queue/{queued.Id}/retry");

        // Assert
        await ApiAssert.StatusAsync(HttpStatusCode.OK, response);
        var retried = server.Core.Jobs.Get(job.Id)!;
        Assert.Equal((JobStatus.Queued, 0, false), (retried.Status, retried.Attempts, retried.PermanentFailure));
        Assert.Null(retried.ErrorMessage);
        await ApiAssert.ErrorAsync(HttpStatusCode.BadRequest, notFailed, "only failed or cancelled");
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_try_to_retry_a_failed_job_while_its_episode_has_a_newer_active_one_and_get_a_409()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var episode = server.AddEpisode(server.AddFeed().Id);
        var job = server.Enqueue(episode.Id);
        server.Core.Jobs.Fail(job.Id, server.Claim().Token, "boom", permanent: true);
        server.Enqueue(episode.Id);

        // Act
        var response = await server.PostAsync($"/api/queue/{job.Id}/retry");

        // Assert
        await ApiAssert.ErrorAsync(HttpStatusCode.Conflict, response, "already has an active download job");
    }

    [Theory(Timeout = 20000)]
    [InlineData("POST")]
    [InlineData("DELETE")]
    public async Task I_can_cancel_a_queued_job_and_it_stays_with_its_history(string method)
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var job = server.Enqueue(server.AddEpisode(server.AddFeed().Id).Id);
        var path = method == "POST" ? $"/api/queue/{job.Id}/cancel" : $"/api/queue/{job.Id}";

        // Act
        var response = await server.SendJsonAsync(new HttpMethod(method), path);
        var again = await server.SendJsonAsync(new HttpMethod(method), path);

        // Assert
        await ApiAssert.StatusAsync(HttpStatusCode.OK, response);
        Assert.Equal(JobStatus.Cancelled, server.Core.Jobs.Get(job.Id)!.Status);
        await ApiAssert.ErrorAsync(HttpStatusCode.BadRequest, again, "cancelled");
        Assert.Contains(server.Core.Jobs.History(job.Id), h => h.Event == "cancelled" && h.Actor == "api");
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_change_the_priority_of_a_queued_job()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var job = server.Enqueue(server.AddEpisode(server.AddFeed().Id).Id);

        // Act
        var response = await server.SendJsonAsync(HttpMethod.Patch, $"/api/queue/{job.Id}", """{"priority": 2}""");
        var missingPriority = await server.SendJsonAsync(HttpMethod.Patch, $"/api/queue/{job.Id}", "{}");
        var unknown = await server.SendJsonAsync(HttpMethod.Patch, "/api/queue/999", """{"priority": 2}""");

        // Assert
        await ApiAssert.StatusAsync(HttpStatusCode.OK, response);
        Assert.Equal(2, server.Core.Jobs.Get(job.Id)!.Priority);
        await ApiAssert.ErrorAsync(HttpStatusCode.BadRequest, missingPriority, "priority");
        await ApiAssert.ErrorAsync(HttpStatusCode.NotFound, unknown, "Job 999");
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_read_a_job_with_its_append_only_history()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var job = server.Enqueue(server.AddEpisode(server.AddFeed().Id).Id);
        server.Claim();
        await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.PostAsync($"/api/queue/{job.Id}/reset"));

        // Act
        var detail = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.GetAsync($"/api/queue/{job.Id}"));
        var history = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.GetAsync($"/api/queue/{job.Id}/history"));

        // Assert
        Assert.Equal(job.Id, detail.GetProperty("id").GetInt64());
        Assert.Equal("queued", detail.GetProperty("status").GetString());
        Assert.Equal(1, detail.GetProperty("attempts").GetInt32());
        Assert.Equal(["queued", "claimed", "reset"], detail.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("event").GetString()));
        ApiAssert.Keys(history, "job_id", "history");
        var claimed = history.GetProperty("history")[1];
        ApiAssert.Keys(claimed, "at", "event", "actor", "detail");
        Assert.Equal("spec-worker", claimed.GetProperty("actor").GetString());
        ApiAssert.IsoUtc(claimed.GetProperty("at"));
        await ApiAssert.ErrorAsync(HttpStatusCode.NotFound, await server.GetAsync("/api/queue/999"));
        await ApiAssert.ErrorAsync(HttpStatusCode.NotFound, await server.GetAsync("/api/queue/999/history"));
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_reach_stuck_all_status_and_stats_without_them_being_taken_for_a_job_id()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();

        // Act
        var stuck = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.GetAsync("/api/queue/stuck"));
        var all = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.GetAsync("/api/queue/all"));
        var status = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.GetAsync("/api/queue/status"));
        var stats = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.GetAsync("/api/queue/stats"));
        var notAnId = await server.GetAsync("/api/queue/something");

        // Assert
        ApiAssert.Keys(stuck, "stuck_count", "threshold_minutes", "jobs");
        Assert.Equal(30, stuck.GetProperty("threshold_minutes").GetInt32());
        ApiAssert.Keys(all, "total", "stuck_count", "jobs");
        Assert.True(status.TryGetProperty("transcribe_queue", out _));
        Assert.True(stats.TryGetProperty("last_24h", out _));
        await ApiAssert.ErrorAsync(HttpStatusCode.NotFound, notAnId);
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_see_jobs_running_longer_than_the_threshold_as_stuck()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var feed = server.AddFeed("Alpha");
        var old = server.Enqueue(server.AddEpisode(feed.Id, "Old").Id);
        server.Claim();
        server.Backdate(old.Id, TimeSpan.FromMinutes(45));
        var fresh = server.Enqueue(server.AddEpisode(feed.Id, "Fresh").Id);
        server.Claim();
        server.Enqueue(server.AddEpisode(feed.Id, "Waiting").Id);

        // Act
        var stuck = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.GetAsync("/api/queue/stuck"));
        var strict = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.GetAsync("/api/queue/stuck?threshold_minutes=60"));
        var onlyStuck = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.GetAsync("/api/queue/all?status=stuck"));
        var running = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.GetAsync("/api/queue/all?status=running&job_type=download"));
        var all = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.GetAsync("/api/queue/all"));

        // Assert
        Assert.Equal(1, stuck.GetProperty("stuck_count").GetInt32());
        var job = stuck.GetProperty("jobs")[0];
        ApiAssert.Keys(
            job,
            "job_id",
            "episode_id",
            "episode_title",
            "podcast_title",
            "job_type",
            "started_at",
            "runtime_seconds",
            "attempts",
            "max_attempts",
            "claimed_by"
        );
        Assert.Equal(
            (old.Id, "Old", "Alpha"),
            (job.GetProperty("job_id").GetInt64(), job.GetProperty("episode_title").GetString(), job.GetProperty("podcast_title").GetString())
        );
        Assert.InRange(job.GetProperty("runtime_seconds").GetDouble(), 45 * 60 - 5, 45 * 60 + 60);
        Assert.Equal(0, strict.GetProperty("stuck_count").GetInt32());
        Assert.Equal(old.Id, Assert.Single(onlyStuck.GetProperty("jobs").EnumerateArray()).GetProperty("job_id").GetInt64());
        Assert.Equal([fresh.Id, old.Id], running.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("job_id").GetInt64()));
        Assert.Equal(3, all.GetProperty("total").GetInt32());
        Assert.Equal(1, all.GetProperty("stuck_count").GetInt32());
        Assert.True(
            all.GetProperty("jobs").EnumerateArray().Single(j => j.GetProperty("job_id").GetInt64() == old.Id).GetProperty("is_stuck").GetBoolean()
        );
        await ApiAssert.ErrorAsync(HttpStatusCode.BadRequest, await server.GetAsync("/api/queue/all?status=sleeping"));
        await ApiAssert.ErrorAsync(HttpStatusCode.BadRequest, await server.GetAsync("/api/queue/stuck?threshold_minutes=0"));
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_read_the_queue_status_with_running_and_queued_jobs_per_type()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var feed = server.AddFeed();
        var running = server.Enqueue(server.AddEpisode(feed.Id, "Running").Id);
        server.Claim();
        server.Enqueue(server.AddEpisode(feed.Id, "Queued").Id, priority: 4);
        server.Enqueue(server.AddEpisode(feed.Id, "Transcript").Id, JobType.TranscriptDownload);

        // Act
        var json = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.GetAsync("/api/queue/status"));

        // Assert
        ApiAssert.Keys(
            json,
            "running",
            "download_workers",
            "transcript_download_workers",
            "transcribe_workers",
            "transcribe_workers_standby",
            "embed_workers",
            "download_queue",
            "transcript_download_queue",
            "transcribe_queue",
            "embed_queue"
        );
        Assert.Equal(2, json.GetProperty("download_workers").GetInt32());
        Assert.Equal(4, json.GetProperty("transcript_download_workers").GetInt32());
        var downloads = json.GetProperty("download_queue");
        ApiAssert.Keys(downloads, "queued", "running", "completed", "failed", "cancelled", "running_jobs", "queued_jobs");
        Assert.Equal((1, 1), (downloads.GetProperty("queued").GetInt32(), downloads.GetProperty("running").GetInt32()));
        var runningJob = Assert.Single(downloads.GetProperty("running_jobs").EnumerateArray());
        ApiAssert.Keys(runningJob, "job_id", "episode_id", "episode_title", "priority", "claimed_by", "progress_percent");
        Assert.Equal(
            (running.Id, "Running", "spec-worker"),
            (
                runningJob.GetProperty("job_id").GetInt64(),
                runningJob.GetProperty("episode_title").GetString(),
                runningJob.GetProperty("claimed_by").GetString()
            )
        );
        var queuedJob = Assert.Single(downloads.GetProperty("queued_jobs").EnumerateArray());
        Assert.Equal(("Queued", 4), (queuedJob.GetProperty("episode_title").GetString(), queuedJob.GetProperty("priority").GetInt32()));
        Assert.Equal(1, json.GetProperty("transcript_download_queue").GetProperty("queued").GetInt32());
        Assert.Equal(0, json.GetProperty("transcribe_queue").GetProperty("queued").GetInt32());
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_read_statistics_of_the_transcriptions_completed_in_the_last_hour_and_day()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var feed = server.AddFeed();
        foreach (var title in new[] { "One", "Two" })
        {
            var episode = server.GiveAudio(server.AddEpisode(feed.Id, title, durationSeconds: 1200));
            var job = server.Enqueue(episode.Id, JobType.Transcribe);
            var lease = server.Claim(JobType.Transcribe);
            server.Backdate(job.Id, TimeSpan.FromMinutes(5));
            server.Core.Jobs.Complete(job.Id, lease.Token);
        }

        // Act
        var json = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.GetAsync("/api/queue/stats"));

        // Assert
        ApiAssert.Keys(json, "last_hour", "last_24h", "by_node_24h");
        var hour = json.GetProperty("last_hour");
        ApiAssert.Keys(hour, "jobs_completed", "audio_minutes_processed", "total_processing_seconds", "avg_processing_seconds", "throughput_ratio");
        Assert.Equal(2, hour.GetProperty("jobs_completed").GetInt32());
        Assert.Equal(40, hour.GetProperty("audio_minutes_processed").GetDouble());
        Assert.InRange(hour.GetProperty("avg_processing_seconds").GetDouble(), 299, 310);
        Assert.InRange(hour.GetProperty("throughput_ratio").GetDouble(), 3.8, 4.01);
        var node = Assert.Single(json.GetProperty("by_node_24h").EnumerateArray());
        Assert.Equal(("spec-worker", 2), (node.GetProperty("node_id").GetString(), node.GetProperty("jobs_completed").GetInt32()));
    }
}
