using System.Net;
using Cast2md.Queue;
using Xunit;

namespace Cast2md.Tests.Api;

public sealed class QueueBatchApiSpecs
{
    [Fact(Timeout = 20000)]
    public async Task I_can_get_all_transcripts_of_a_feed_with_one_call()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var feed = server.AddFeed();
        var offered = server.AddEpisode(feed.Id, "Publisher transcript", transcriptUrl: "https://example.test/t.vtt");
        var audioOnly = server.AddEpisode(feed.Id, "Audio only");
        await server.GiveTranscriptAsync(server.AddEpisode(feed.Id, "Done"));

        // Act
        var json = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.PostAsync($"/api/queue/batch/feed/{feed.Id}/process"));
        var missing = await server.PostAsync("/api/queue/batch/feed/999/process");

        // Assert
        ApiAssert.Keys(json, "queued", "skipped", "message");
        Assert.Equal((2, 1), (json.GetProperty("queued").GetInt32(), json.GetProperty("skipped").GetInt32()));
        Assert.Equal(JobType.TranscriptDownload, Assert.Single(server.Core.Jobs.List(episodeId: offered.Id)).Type);
        Assert.Equal(JobType.Download, Assert.Single(server.Core.Jobs.List(episodeId: audioOnly.Id)).Type);
        await ApiAssert.ErrorAsync(HttpStatusCode.NotFound, missing, "Feed 999");
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_queue_a_batch_of_episodes_with_a_priority()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var feed = server.AddFeed();
        var one = server.AddEpisode(feed.Id, "One");
        var two = server.AddEpisode(feed.Id, "Two");

        // Act
        var json = await ApiAssert.StatusAsync(
            HttpStatusCode.OK,
            await server.PostAsync("/api/queue/batch/episodes", $$"""{"episode_ids": [{{one.Id}}, {{two.Id}}, 999], "priority": 7}""")
        );
        var empty = await server.PostAsync("/api/queue/batch/episodes", """{"episode_ids": []}""");

        // Assert
        Assert.Equal((2, 1), (json.GetProperty("queued").GetInt32(), json.GetProperty("skipped").GetInt32()));
        Assert.All(server.Core.Jobs.List(), j => Assert.Equal(7, j.Priority));
        await ApiAssert.ErrorAsync(HttpStatusCode.BadRequest, empty, "episode_ids");
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_retry_every_failed_job_at_once()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var feed = server.AddFeed();
        foreach (var title in new[] { "One", "Two" })
        {
            var job = server.Enqueue(server.AddEpisode(feed.Id, title).Id);
            server.Core.Jobs.Fail(job.Id, server.Claim().Token, "gone", permanent: true);
        }

        // Act
        var json = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.PostAsync("/api/queue/batch/retry-failed"));

        // Assert
        Assert.Equal((2, 0), (json.GetProperty("queued").GetInt32(), json.GetProperty("skipped").GetInt32()));
        Assert.All(server.Core.Jobs.List(), j => Assert.Equal(JobStatus.Queued, j.Status));
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_cancel_every_queued_job_at_once_and_running_jobs_keep_going()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var feed = server.AddFeed();
        var running = server.Enqueue(server.AddEpisode(feed.Id, "Running").Id);
        server.Claim();
        server.Enqueue(server.AddEpisode(feed.Id, "One").Id);
        server.Enqueue(server.AddEpisode(feed.Id, "Two").Id, JobType.TranscriptDownload);

        // Act
        var json = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.SendJsonAsync(HttpMethod.Delete, "/api/queue/batch/queued"));

        // Assert
        ApiAssert.Keys(json, "cancelled", "message");
        Assert.Equal(2, json.GetProperty("cancelled").GetInt32());
        Assert.Equal(JobStatus.Running, server.Core.Jobs.Get(running.Id)!.Status);
        Assert.Empty(server.Core.Jobs.List(JobStatus.Queued));
    }

    [Theory(Timeout = 20000)]
    [InlineData("POST", "/api/queue/999/retry")]
    [InlineData("POST", "/api/queue/999/reset")]
    [InlineData("POST", "/api/queue/999/cancel")]
    [InlineData("DELETE", "/api/queue/999")]
    public async Task I_can_try_to_act_on_a_job_that_does_not_exist_and_get_a_404(string method, string path)
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();

        // Act
        var response = await server.SendJsonAsync(new HttpMethod(method), path);

        // Assert
        await ApiAssert.ErrorAsync(HttpStatusCode.NotFound, response, "Job 999 not found");
    }
}
