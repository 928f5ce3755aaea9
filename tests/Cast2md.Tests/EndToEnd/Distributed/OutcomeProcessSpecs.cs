using Cast2md.Library;
using Cast2md.Queue;
using Cast2md.Tests.Infra;
using CliWrap;
using CliWrap.Buffered;
using Xunit;

namespace Cast2md.Tests.EndToEnd.Distributed;

/// <summary>What a broken node or a second server must not do to the queue, with the published binary.</summary>
[Collection(RealProcessesCollection.Name)]
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed class OutcomeProcessSpecs
{
    [Fact(Timeout = 120_000)]
    public async Task A_second_serve_on_the_same_data_folder_exits_75_and_leaves_the_first_one_alone()
    {
        // Arrange
        await using var fleet = Fleet.Create();
        var first = await fleet.StartServerAsync();
        var announced = await File.ReadAllTextAsync(Path.Combine(fleet.Data, "server.pid"));

        // Act
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var second = await Cast2mdBinary
            .Command(["serve", "--port", "0", "--data-dir", fleet.Data], fleet.ServerEnvironment)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(timeout.Token);

        // Assert
        Assert.Equal(75, second.ExitCode);
        Assert.Contains("another cast2md serve is already running on the data folder", second.StandardError);
        Assert.Contains($"process {first.ProcessId}", second.StandardError);
        Assert.DoesNotContain("   at ", second.StandardError);
        Assert.Equal(announced, await File.ReadAllTextAsync(Path.Combine(fleet.Data, "server.pid")));
        using var http = first.Client();
        Assert.True((await http.GetAsync("/api/health")).IsSuccessStatusCode);
    }

    [Fact(Timeout = 180_000)]
    public async Task A_node_without_its_model_gives_jobs_back_without_using_their_attempts_and_stops_claiming()
    {
        // Arrange: an installed node (NODE_PERSISTENT=1) whose model file is missing
        await using var fleet = Fleet.Create();
        var episodes = fleet.AddEpisodes(3, Paths.JfkMp3);
        fleet.ServerEnvironment["LOCAL_TRANSCRIPTION_ENABLED"] = "false";
        await fleet.StartServerAsync();
        var jobs = episodes.Select(fleet.QueueTranscription).ToList();

        // Act
        var broken = await fleet.StartNodeAsync("broken", new Dictionary<string, string?> { ["WHISPER_MODEL"] = "/nonexistent/ggml-missing.bin" });
        await fleet.WaitForAsync(() => broken.Log.Contains("cannot work", StringComparison.Ordinal), "the node to notice it cannot work");
        var node = (await fleet.NodesAsync()).EnumerateArray().Single();
        await Task.Delay(TimeSpan.FromSeconds(4));

        // Assert: every job is still queued with all its attempts, the node is alive, shown unhealthy, and claims nothing more
        Assert.All(jobs, j => Assert.Equal((JobStatus.Queued, 0), (fleet.Job(j.Id).Status, fleet.Job(j.Id).Attempts)));
        Assert.All(episodes, e => Assert.NotEqual(EpisodeStatus.Failed, fleet.Core.Episodes.Get(e.Id)!.Status));
        Assert.Equal("unhealthy", node.GetProperty("status").GetString());
        Assert.Contains("Model file not found", node.GetProperty("problem").GetString());
        Assert.False(broken.Exited.IsCompleted);
        var claims = jobs.Sum(j => fleet.Core.Jobs.History(j.Id).Count(h => h.Event == "claimed"));
        Assert.InRange(claims, 1, 3); // the job it tried and what it had fetched ahead meanwhile, then nothing
    }

    [Fact(Timeout = 240_000)]
    public async Task A_node_whose_spool_cannot_be_written_still_delivers_its_transcript_and_claims_again_once_fixed()
    {
        // Arrange: the spool path is taken by a file, so no result can be written there
        await using var fleet = Fleet.Create();
        var episodes = fleet.AddEpisodes(2, Paths.JfkMp3);
        fleet.ServerEnvironment["LOCAL_TRANSCRIPTION_ENABLED"] = "false";
        await fleet.StartServerAsync();
        var home = await NodeProcess.RegisterAsync(fleet.Dir, fleet.Server.BaseUrl, "full-disk", Fleet.StandIn);
        var spool = Path.Combine(home, ".cast2md", "spool");
        await File.WriteAllTextAsync(spool, "not a folder");
        await using var node = await NodeProcess.StartAsync(home, Fleet.StandIn);
        var first = fleet.QueueTranscription(episodes[0]);

        // Act
        await fleet.WaitForAsync(() => fleet.IsDone(first), "the first transcript to arrive from memory");
        await fleet.WaitForAsync(() => node.Log.Contains("cannot be written", StringComparison.Ordinal), "the node to report its spool");
        var second = fleet.QueueTranscription(episodes[1]);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var whileBroken = fleet.Job(second.Id).Status;
        var shown = (await fleet.NodesAsync()).EnumerateArray().Single().GetProperty("status").GetString();
        File.Delete(spool);
        await fleet.WaitForAsync(() => fleet.IsDone(second), "the node to claim again once its spool can be written");

        // Assert
        Assert.Equal(JobStatus.Queued, whileBroken);
        Assert.Equal("unhealthy", shown);
        Assert.False(node.Exited.IsCompleted);
        Assert.All(episodes, e => Assert.StartsWith("# Episode", fleet.TranscriptOf(e.Id)));
        Assert.Empty(fleet.FilesUnder("tmp/results"));
    }
}
