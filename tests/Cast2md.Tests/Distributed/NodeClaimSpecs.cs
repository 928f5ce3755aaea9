using System.Collections.Concurrent;
using System.Net;
using Cast2md.Queue;
using Cast2md.Settings;
using Cast2md.Tests.Api;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.Distributed;

public class NodeClaimSpecs
{
    [Fact]
    public async Task I_can_claim_a_transcription_job_and_get_a_lease_but_never_a_download()
    {
        // Arrange
        await using var server = await NodeSpecs.StartAsync();
        var node = await SimulatedNode.RegisterAsync(server.Http);
        var feed = server.AddFeed();
        server.Enqueue(server.AddEpisode(feed.Id, "Needs download").Id, JobType.Download);
        var (episode, job) = server.QueueTranscription("Ready to transcribe");

        // Act
        var (claimed, json) = await node.ClaimAsync();
        var (second, empty) = await node.ClaimAsync();

        // Assert
        Assert.Equal(job.Id, claimed);
        Assert.Equal(episode.Id, json.GetProperty("episode_id").GetInt64());
        Assert.Equal("Ready to transcribe", json.GetProperty("episode_title").GetString());
        Assert.Equal($"/api/nodes/jobs/{job.Id}/audio", json.GetProperty("audio_url").GetString());
        Assert.Equal(4, json.GetProperty("audio_size").GetInt64());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("lease_token").GetString()));
        Assert.Null(second);
        Assert.Equal("", empty.GetProperty("audio_url").GetString());
        var held = server.Core.Jobs.Get(job.Id)!;
        Assert.Equal((JobStatus.Running, $"node:{node.Id}"), (held.Status, held.ClaimedBy));
    }

    [Fact]
    public async Task A_node_gets_no_job_while_distributed_transcription_is_switched_off()
    {
        // Arrange
        await using var server = await NodeSpecs.StartAsync();
        var node = await SimulatedNode.RegisterAsync(server.Http);
        server.QueueTranscription();
        server.SetSetting(SettingDefinitions.DistributedTranscriptionEnabled, "false");

        // Act
        var (claimed, json) = await node.ClaimAsync();

        // Assert
        Assert.Null(claimed);
        Assert.Contains("disabled", json.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_waiting_node_gets_a_job_queued_while_it_waits()
    {
        // Arrange
        await using var server = await NodeSpecs.StartAsync();
        var node = await SimulatedNode.RegisterAsync(server.Http);

        // Act: the claim waits up to 30 s; the job is queued while it is parked
        var claim = node.ClaimAsync(wait: 30);
        await Eventually.TrueAsync(() => ServerDispatcherWaiting(server) == 1, TimeSpan.FromSeconds(10), "the node waits");
        var (_, job) = server.QueueTranscription();
        var (claimed, _) = await claim.WaitAsync(TimeSpan.FromSeconds(20));

        // Assert
        Assert.Equal(job.Id, claimed);
    }

    [Fact]
    public async Task A_waiting_node_gets_an_empty_answer_when_nothing_is_queued_in_time()
    {
        // Arrange
        await using var server = await NodeSpecs.StartAsync();
        var node = await SimulatedNode.RegisterAsync(server.Http);

        // Act
        var (claimed, json) = await node.ClaimAsync(wait: 0.3);

        // Assert
        Assert.Null(claimed);
        Assert.False(json.GetProperty("has_job").GetBoolean());
        Assert.Equal(0, ServerDispatcherWaiting(server));
    }

    [Fact]
    public async Task The_node_with_the_better_priority_is_served_first()
    {
        // Arrange
        await using var server = await NodeSpecs.StartAsync();
        var slow = await SimulatedNode.RegisterAsync(server.Http, "cpu-box", priority: 20);
        var fast = await SimulatedNode.RegisterAsync(server.Http, "gpu-box", priority: 1);
        var slowClaim = slow.ClaimAsync(wait: 3);
        await Eventually.TrueAsync(() => ServerDispatcherWaiting(server) == 1, TimeSpan.FromSeconds(10), "the node waits");
        var fastClaim = fast.ClaimAsync(wait: 3);
        await Eventually.TrueAsync(() => ServerDispatcherWaiting(server) == 2, TimeSpan.FromSeconds(10), "both nodes wait");

        // Act
        var (_, job) = server.QueueTranscription();
        var (fastGot, _) = await fastClaim;
        var (slowGot, _) = await slowClaim;

        // Assert
        Assert.Equal(job.Id, fastGot);
        Assert.Null(slowGot);
    }

    [Fact]
    public async Task A_job_that_asks_for_a_model_goes_only_to_a_node_that_serves_it()
    {
        // Arrange
        await using var server = await NodeSpecs.StartAsync();
        var tiny = await SimulatedNode.RegisterAsync(server.Http, "tiny-only", models: ["tiny"]);
        var large = await SimulatedNode.RegisterAsync(server.Http, "large", models: ["large-v3"]);
        var (_, job) = server.QueueTranscription(model: "large-v3");

        // Act
        var (tinyGot, _) = await tiny.ClaimAsync();
        var (largeGot, json) = await large.ClaimAsync();

        // Assert
        Assert.Null(tinyGot);
        Assert.Equal(job.Id, largeGot);
        Assert.Equal("large-v3", json.GetProperty("model").GetString());
    }

    [Fact]
    public async Task I_can_queue_a_transcription_for_a_model_through_the_api_and_only_a_node_serving_it_takes_it()
    {
        // Arrange
        await using var server = await NodeSpecs.StartAsync();
        var cpu = await SimulatedNode.RegisterAsync(server.Http, "cpu-box", models: ["base"]);
        var gpu = await SimulatedNode.RegisterAsync(server.Http, "gpu-box", models: ["large-v3-turbo"]);
        var episode = server.GiveAudio(server.AddEpisode(server.AddFeed().Id, "Needs the big model"));

        // Act
        using var queued = await server.PostAsync($"/api/queue/episodes/{episode.Id}/transcribe", """{"model": "large-v3-turbo"}""");
        using var badModel = await server.PostAsync($"/api/queue/episodes/{episode.Id}/transcribe", "{\"model\": \"\\u0007\"}");
        var (cpuGot, _) = await cpu.ClaimAsync();
        var (gpuGot, json) = await gpu.ClaimAsync();

        // Assert
        var jobId = (await ApiServer.JsonAsync(queued)).GetProperty("job_id").GetInt64();
        Assert.Equal(HttpStatusCode.BadRequest, badModel.StatusCode);
        Assert.Null(cpuGot);
        Assert.Equal(jobId, gpuGot);
        Assert.Equal("large-v3-turbo", json.GetProperty("model").GetString());
    }

    [Fact]
    public async Task Fifty_nodes_claiming_500_jobs_never_hold_one_job_twice()
    {
        // Arrange
        await using var server = await NodeSpecs.StartAsync();
        var feed = server.AddFeed();
        for (var i = 0; i < 500; i++)
        {
            var episode = server.GiveAudio(server.AddEpisode(feed.Id, $"Episode {i}"));
            server.Core.Jobs.Enqueue(episode.Id, JobType.Transcribe);
        }
        var nodes = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => SimulatedNode.RegisterAsync(server.Http, $"node-{i}")));
        var claims = new ConcurrentBag<(long Job, string Node)>();

        // Act: every node claims and completes until the queue is empty
        await Task.WhenAll(
            nodes.Select(node =>
                Task.Run(async () =>
                {
                    while (await node.ClaimAsync() is ({ } jobId, _))
                    {
                        claims.Add((jobId, node.Id));
                        using var complete = await node.CompleteAsync(jobId);
                        Assert.Equal(HttpStatusCode.OK, complete.StatusCode);
                    }
                })
            )
        );

        // Assert
        Assert.Equal(500, claims.Count);
        Assert.Equal(500, claims.Select(c => c.Job).Distinct().Count());
        Assert.Equal(500, server.Core.Jobs.Counts(JobType.Transcribe).Completed);
        Assert.True(claims.Select(c => c.Node).Distinct().Count() > 1);
    }

    private static int ServerDispatcherWaiting(ApiServer server) => server.Dispatcher.Waiting;
}
