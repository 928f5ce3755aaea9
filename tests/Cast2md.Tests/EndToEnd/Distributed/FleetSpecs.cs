using System.Text.RegularExpressions;
using Cast2md.Library;
using Cast2md.Queue;
using Cast2md.Tests.Infra;
using Cast2md.Tests.Media;
using CliWrap.Buffered;
using Xunit;

namespace Cast2md.Tests.EndToEnd.Distributed;

/// <summary>The distributed set-up's parts 1–3 with real processes: a server, its local worker and two nodes transcribe in parallel.</summary>
[Collection(RealProcessesCollection.Name)]
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed class FleetSpecs
{
    [Fact(Timeout = 300_000)]
    public async Task A_server_its_local_worker_and_two_nodes_transcribe_12_episodes_each_exactly_once()
    {
        // Arrange: node "real" runs the real tiny model, node "stand-in" and the server the fast stand-in model
        await using var fleet = Fleet.Create();
        var episodes = fleet.AddEpisodes(12, Paths.JfkWav);
        await fleet.StartServerAsync();
        var real = await fleet.StartNodeAsync("real", new Dictionary<string, string?> { ["WHISPER_MODEL"] = Paths.RealModel });
        var standIn = await fleet.StartNodeAsync("stand-in");

        // Act: watch how many jobs each node holds at once while the queue drains
        var realWorker = $"node:{Fleet.NodeIdOf(real)}";
        var standInWorker = $"node:{Fleet.NodeIdOf(standIn)}";
        var mostHeld = 0;
        var jobs = episodes.Select(fleet.QueueTranscription).ToList();
        await fleet.WaitForAsync(
            () =>
            {
                mostHeld = Math.Max(mostHeld, Math.Max(fleet.Core.Jobs.HeldBy(realWorker).Count, fleet.Core.Jobs.HeldBy(standInWorker).Count));
                return jobs.All(fleet.IsDone);
            },
            "all 12 transcriptions to complete",
            seconds: 240
        );

        // Assert: one transcript per episode, written by the server with the episode's title
        var markdown = fleet.FilesUnder("transcripts").Where(f => f.EndsWith(".md", StringComparison.Ordinal)).ToList();
        Assert.Equal(12, markdown.Count);
        foreach (var episode in episodes)
        {
            Assert.Equal(EpisodeStatus.Completed, fleet.Core.Episodes.Get(episode.Id)!.Status);
            Assert.StartsWith($"# {episode.Title}", fleet.TranscriptOf(episode.Id));
        }

        // Assert: each job completed once; both nodes and the server's own worker did some of the work (the original's
        // local worker stood aside whenever a node existed), and no node hoarded more than its job and the next one
        var holders = jobs.Select(j => fleet.Job(j.Id)).ToList();
        Assert.All(holders, job => Assert.Single(fleet.Core.Jobs.History(job.Id), h => h.Event == "completed"));
        Assert.Contains(holders, job => job.ClaimedBy == realWorker);
        Assert.Contains(holders, job => job.ClaimedBy == standInWorker);
        Assert.Contains(holders, job => job.ClaimedBy?.StartsWith("local:", StringComparison.Ordinal) == true);
        Assert.InRange(mostHeld, 1, 2);

        // Assert: the real model's transcripts say what JFK said
        foreach (var job in holders.Where(j => j.ClaimedBy == realWorker))
            Assert.Contains("ask not what your country can do for you", Words(fleet.TranscriptOf(job.EpisodeId)));
    }

    [Fact(Timeout = 180_000)]
    public async Task A_node_registered_through_the_cli_answers_the_servers_test_and_shows_up_online()
    {
        // Arrange: the original registered every CLI node as http://localhost:8001, so Test probed the server itself
        await using var fleet = Fleet.Create();
        await fleet.StartServerAsync();
        var node = await fleet.StartNodeAsync("tester");
        var id = Fleet.NodeIdOf(node);
        await fleet.WaitForAsync(() => fleet.NodesAsync().Result[0].GetProperty("status").GetString() == "online", "the node to be online");

        // Act
        using var http = fleet.Server.Client();
        using var test = await http.PostAsync($"/api/nodes/{id}/test", null);
        var listed = (await fleet.NodesAsync())[0];

        // Assert
        Assert.Contains("is reachable", await test.Content.ReadAsStringAsync());
        Assert.Equal(node.StatusUrl.Port, new Uri(listed.GetProperty("url").GetString()!).Port);
    }

    [Fact(Timeout = 180_000)]
    public async Task A_rename_in_node_json_reaches_the_server_with_the_next_heartbeat()
    {
        // Arrange
        await using var fleet = Fleet.Create();
        await fleet.StartServerAsync();
        var node = await fleet.StartNodeAsync("old-name");
        var config = Path.Combine(node.Home, ".cast2md", "node.json");

        // Act
        await File.WriteAllTextAsync(config, (await File.ReadAllTextAsync(config)).Replace("\"old-name\"", "\"M4 MacBook Pro\""));

        // Assert
        await fleet.WaitForAsync(
            () => fleet.NodesAsync().Result[0].GetProperty("name").GetString() == "M4 MacBook Pro",
            "the new name on the server",
            seconds: 30
        );
    }

    [Fact(Timeout = 180_000)]
    public async Task Node_status_shows_the_config_the_server_connection_and_the_current_job()
    {
        // Arrange: five minutes of noise keep the node busy
        await using var fleet = Fleet.Create();
        var noise = await TestAudio.GenerateAsync(
            fleet.Dir,
            "noise.mp3",
            "-f",
            "lavfi",
            "-i",
            "anoisesrc=r=16000:a=0.3:c=pink",
            "-t",
            "300",
            "-b:a",
            "32k"
        );
        var episode = fleet.AddEpisodes(1, noise).Single();
        fleet.ServerEnvironment["LOCAL_TRANSCRIPTION_ENABLED"] = "false";
        await fleet.StartServerAsync();
        var node = await fleet.StartNodeAsync("busy-node");
        var job = fleet.QueueTranscription(episode);
        await fleet.WaitForAsync(() => fleet.Job(job.Id).Status == JobStatus.Running, "the node to take the job");

        // Act
        var status = await Cast2mdBinary
            .Command(
                ["node", "status", "--json"],
                new Dictionary<string, string?> { ["HOME"] = node.Home, ["NODE_PORT"] = node.StatusUrl.Port.ToString() }
            )
            .ExecuteBufferedAsync();

        // Assert
        Assert.True(status.ExitCode == 0, status.StandardError);
        Assert.Contains("busy-node", status.StandardOutput);
        Assert.Contains(job.Id.ToString(), status.StandardOutput);
        Assert.DoesNotContain(await ApiKeyOf(node), status.StandardOutput);
    }

    private static async Task<string> ApiKeyOf(NodeProcess node)
    {
        using var document = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(node.Home, ".cast2md", "node.json")));
        return document.RootElement.GetProperty("api_key").GetString()!;
    }

    private static string Words(string text) => Regex.Replace(Regex.Replace(text.ToLowerInvariant(), @"[^a-z' ]+", " "), @"\s+", " ");
}
