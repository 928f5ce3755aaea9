using Cast2md.Library;
using Cast2md.Queue;
using Cast2md.Tests.Infra;
using Cast2md.Tests.Media;
using Xunit;

namespace Cast2md.Tests.EndToEnd.Distributed;

/// <summary>The original's lost and stuck jobs, each staged with real processes: nothing is lost.</summary>
[Collection(RealProcessesCollection.Name)]
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed class FailureSpecs
{
    private static async Task<string> NoiseAsync(Fleet fleet, int seconds = 300) =>
        await TestAudio.GenerateAsync(
            fleet.Dir,
            $"noise-{seconds}.mp3",
            "-f",
            "lavfi",
            "-i",
            "anoisesrc=r=16000:a=0.3:c=pink",
            "-t",
            seconds.ToString(),
            "-b:a",
            "32k"
        );

    [Fact(Timeout = 240_000)]
    public async Task I_can_kill_a_node_mid_job_and_the_job_completes_on_another_node_once_its_lease_expires()
    {
        // Arrange: nodes only, a 3-second lease
        await using var fleet = Fleet.Create();
        var episode = fleet.AddEpisodes(1, await NoiseAsync(fleet, 120)).Single();
        fleet.ServerEnvironment["LOCAL_TRANSCRIPTION_ENABLED"] = "false";
        fleet.ServerEnvironment["REMOTE_JOB_TIMEOUT_MINUTES"] = "0.05";
        await fleet.StartServerAsync();
        var doomed = await fleet.StartNodeAsync("doomed");
        var job = fleet.QueueTranscription(episode);
        await fleet.WaitForAsync(() => fleet.Job(job.Id).Status == JobStatus.Running, "the first node to take the job");

        // Act
        await doomed.KillHardAsync();
        var survivor = await fleet.StartNodeAsync("survivor");
        await fleet.WaitForAsync(() => fleet.IsDone(job), "the job to complete on the second node", seconds: 180);

        // Assert
        Assert.Equal($"node:{Fleet.NodeIdOf(survivor)}", fleet.Job(job.Id).ClaimedBy);
        Assert.Contains(fleet.Core.Jobs.History(job.Id), h => h.Event == "lease_expired");
        Assert.Equal(EpisodeStatus.Completed, fleet.Core.Episodes.Get(episode.Id)!.Status);
        Assert.Single(fleet.FilesUnder("transcripts"), f => f.EndsWith(".md", StringComparison.Ordinal));
    }

    [Fact(Timeout = 240_000)]
    public async Task I_can_kill_the_server_while_a_node_works_and_its_spooled_result_arrives_after_the_restart()
    {
        // Arrange
        await using var fleet = Fleet.Create();
        var episode = fleet.AddEpisodes(1, await NoiseAsync(fleet, 60)).Single();
        fleet.ServerEnvironment["LOCAL_TRANSCRIPTION_ENABLED"] = "false";
        var server = await fleet.StartServerAsync();
        var node = await fleet.StartNodeAsync("worker");
        var job = fleet.QueueTranscription(episode);
        await fleet.WaitForAsync(() => fleet.Job(job.Id).Status == JobStatus.Running, "the node to take the job");

        // Act: the server dies; the node finishes, cannot upload and keeps the result on disk
        await server.KillHardAsync();
        await fleet.WaitForAsync(
            () =>
                Directory.Exists(node.SpoolDirectory)
                && Directory.EnumerateFiles(node.SpoolDirectory).Any()
                && node.Log.Contains("stays in", StringComparison.Ordinal),
            "the node to spool its result",
            seconds: 180
        );
        await using var restarted = await fleet.StartServerAsync();
        await fleet.WaitForAsync(() => fleet.IsDone(job), "the spooled result to be accepted after the restart", seconds: 120);

        // Assert
        Assert.Equal(EpisodeStatus.Completed, fleet.Core.Episodes.Get(episode.Id)!.Status);
        Assert.StartsWith("# Episode 1", fleet.TranscriptOf(episode.Id));
        await fleet.WaitForAsync(() => !Directory.EnumerateFiles(node.SpoolDirectory).Any(), "the spool to be emptied", seconds: 30);
    }

    [Fact(Timeout = 180_000)]
    public async Task A_node_resumes_an_audio_download_whose_connection_dropped()
    {
        // Arrange: the node talks to the server through a proxy that cuts the first audio response after 100 KB
        await using var fleet = Fleet.Create();
        var episode = fleet.AddEpisodes(1, Paths.JfkWav).Single();
        fleet.ServerEnvironment["LOCAL_TRANSCRIPTION_ENABLED"] = "false";
        await fleet.StartServerAsync();
        await using var proxy = CuttingProxy.Start(fleet.Server.BaseUrl, "/audio", 100_000);
        var node = await fleet.StartNodeAsync("behind-a-bad-link", serverUrl: proxy.BaseUrl);

        // Act
        var job = fleet.QueueTranscription(episode);
        await fleet.WaitForAsync(() => fleet.Job(job.Id).Status == JobStatus.Completed, "the job to complete despite the dropped connection");

        // Assert
        Assert.Equal(1, proxy.Cuts);
        var audioRequests = proxy.Requests.Where(r => r.Contains("/audio", StringComparison.Ordinal)).ToList();
        Assert.True(audioRequests.Count >= 2, string.Join('\n', proxy.Requests));
        Assert.Contains(audioRequests.Skip(1), r =>
            r.Contains("Range: bytes=", StringComparison.OrdinalIgnoreCase) && !r.Contains("bytes=0-", StringComparison.Ordinal)
        );
        Assert.Equal(1, fleet.Job(job.Id).Attempts);
    }

    [Fact(Timeout = 180_000)]
    public async Task Stopping_a_node_with_sigterm_gives_its_job_back_at_once_without_using_an_attempt()
    {
        // Arrange
        await using var fleet = Fleet.Create();
        var episode = fleet.AddEpisodes(1, await NoiseAsync(fleet)).Single();
        fleet.ServerEnvironment["LOCAL_TRANSCRIPTION_ENABLED"] = "false";
        await fleet.StartServerAsync();
        var node = await fleet.StartNodeAsync("stopping");
        var job = fleet.QueueTranscription(episode);
        await fleet.WaitForAsync(() => fleet.Job(job.Id).Status == JobStatus.Running, "the node to take the job");

        // Act
        node.Terminate();
        var exit = await node.Exited.WaitAsync(TimeSpan.FromSeconds(20));

        // Assert
        Assert.Equal(130, exit.ExitCode);
        var released = fleet.Job(job.Id);
        Assert.Equal((JobStatus.Queued, 0), (released.Status, released.Attempts));
        Assert.Contains($"released job {job.Id}", node.Log);
    }

    [Fact(Timeout = 240_000)]
    public async Task A_job_reset_while_its_node_transcribes_it_and_claimed_again_by_that_node_completes_from_the_new_claim()
    {
        // Arrange: one node, so the reset job can only come back to it (its prefetch claim waits on the server)
        await using var fleet = Fleet.Create();
        var episode = fleet.AddEpisodes(1, await NoiseAsync(fleet, 120)).Single();
        fleet.ServerEnvironment["LOCAL_TRANSCRIPTION_ENABLED"] = "false";
        await fleet.StartServerAsync();
        var node = await fleet.StartNodeAsync("again");
        var job = fleet.QueueTranscription(episode);
        await fleet.WaitForAsync(() => node.Log.Contains($"transcribing job {job.Id}", StringComparison.Ordinal), "the node to transcribe the job");

        // Act
        using (var http = fleet.Server.Client())
            (await http.PostAsync($"/api/queue/{job.Id}/reset", null)).EnsureSuccessStatusCode();
        await fleet.WaitForAsync(() => fleet.IsDone(job), "the job to complete from its second claim", seconds: 180);

        // Assert: the first claim's drop did not take the second claim's audio with it
        Assert.Equal(EpisodeStatus.Completed, fleet.Core.Episodes.Get(episode.Id)!.Status);
        Assert.Contains($"job {job.Id} came again with a new lease", node.Log);
        Assert.DoesNotContain("does not exist", node.Log);
        Assert.Single(fleet.FilesUnder("transcripts"), f => f.EndsWith(".md", StringComparison.Ordinal));
    }
}
