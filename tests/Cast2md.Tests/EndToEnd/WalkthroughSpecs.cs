using System.Net.Http.Json;
using System.Text.Json;
using Cast2md.Library;
using Cast2md.Queue;
using Cast2md.Tests.EndToEnd.Distributed;
using Cast2md.Tests.Infra;
using CliWrap.Buffered;
using Xunit;

namespace Cast2md.Tests.EndToEnd;

/// <summary>
/// The distributed transcription set-up of the original's guide followed in order against a live server on loopback, with the commands
/// and API calls the README shows: enable, register, start, queue three ways, watch, test, rename, delete, reset, unregister.
/// </summary>
[Collection(RealProcessesCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed class WalkthroughSpecs
{
    [Fact(Timeout = 300_000)]
    public async Task I_can_follow_the_distributed_setup_walkthrough_from_enabling_it_to_unregistering_the_node()
    {
        // Arrange: a server whose own worker stands aside, so the node does every transcription
        await using var fleet = Fleet.Create();
        fleet.ServerEnvironment.Remove("DISTRIBUTED_TRANSCRIPTION_ENABLED");
        fleet.ServerEnvironment["LOCAL_TRANSCRIPTION_ENABLED"] = "false";
        var single = fleet.AddEpisodes(2, Paths.JfkWav, "Walkthrough Singles");
        var batch = fleet.AddEpisodes(2, Paths.JfkWav, "Walkthrough Batch");
        var stuck = fleet.AddEpisodes(1, Paths.JfkWav, "Walkthrough Stuck")[0];
        var server = await fleet.StartServerAsync();
        using var http = server.Client();

        // Part 1: enable distributed transcription (the Settings page saves through PUT /api/settings)
        using (var enable = await http.PutAsJsonAsync("/api/settings", new { settings = new { distributed_transcription_enabled = true } }))
            Assert.True(enable.IsSuccessStatusCode, await enable.Content.ReadAsStringAsync());
        using (var health = await http.GetAsync("/api/system/health"))
            Assert.True(health.IsSuccessStatusCode, "the set-up guide's connectivity check: curl http://YOUR_SERVER:8000/api/system/health");
        Assert.Equal(0, (await fleet.NodesAsync()).GetArrayLength());

        // Part 2, steps 3-5: register, start, status
        var home = await NodeProcess.RegisterAsync(fleet.Dir, server.BaseUrl, "M4 MacBook Pro", Fleet.StandIn);
        var config = Path.Combine(home, ".cast2md", "node.json");
        using (var written = JsonDocument.Parse(await File.ReadAllTextAsync(config)))
        {
            Assert.Equal(server.BaseUrl.ToString().TrimEnd('/'), written.RootElement.GetProperty("server_url").GetString()!.TrimEnd('/'));
            Assert.Equal("M4 MacBook Pro", written.RootElement.GetProperty("name").GetString());
            Assert.False(string.IsNullOrEmpty(written.RootElement.GetProperty("api_key").GetString()));
        }
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(config));
        var node = await NodeProcess.StartAsync(home, Fleet.StandIn);
        var nodeId = ReadNodeId(config);
        var status = await NodeCli(home, node, "node", "status");
        Assert.True(status.ExitCode == 0, status.StandardError);
        Assert.Contains("M4 MacBook Pro", status.StandardOutput);
        await fleet.WaitForAsync(() => fleet.NodesAsync().Result[0].GetProperty("status").GetString() is "online" or "busy", "the node to be online");

        // Part 3: queue episodes three ways: "Get Transcript" (API), `cast2md process ID` (CLI), "Get All Transcripts" (batch)
        using (var one = await http.PostAsync($"/api/queue/episodes/{single[0].Id}/process", null))
            Assert.True(one.IsSuccessStatusCode, await one.Content.ReadAsStringAsync());
        var cli = await Cast2mdBinary.RunAsync(Fleet.StandIn, "process", single[1].Id.ToString(), "--data-dir", fleet.Data);
        Assert.True(cli.ExitCode == 0, cli.StandardError);
        using (var all = await http.PostAsync($"/api/queue/batch/feed/{batch[0].FeedId}/process", null))
            Assert.True(all.IsSuccessStatusCode, await all.Content.ReadAsStringAsync());

        // ... and watch them complete, all on the node
        var queued = single.Concat(batch).ToList();
        await fleet.WaitForAsync(
            () => queued.All(e => fleet.Core.Episodes.Get(e.Id)!.Status == EpisodeStatus.Completed),
            "the four episodes to be transcribed"
        );
        foreach (var episode in queued)
        {
            Assert.StartsWith($"# {episode.Title}", fleet.TranscriptOf(episode.Id));
            var job = fleet.Core.Jobs.List(type: JobType.Transcribe, episodeId: episode.Id).Single();
            Assert.Equal($"node:{nodeId}", job.ClaimedBy);
        }

        // Part 4: view, test, rename (edit node.json, restart the node), remove through the API
        var listed = (await fleet.NodesAsync())[0];
        Assert.Equal(nodeId, listed.GetProperty("id").GetString());
        using (var test = await http.PostAsync($"/api/nodes/{nodeId}/test", null))
            Assert.Contains("is reachable", await test.Content.ReadAsStringAsync());
        await node.DisposeAsync();
        await File.WriteAllTextAsync(config, (await File.ReadAllTextAsync(config)).Replace("\"M4 MacBook Pro\"", "\"Studio Mac\""));
        node = await NodeProcess.StartAsync(home, Fleet.StandIn);
        await fleet.WaitForAsync(() => fleet.NodesAsync().Result[0].GetProperty("name").GetString() == "Studio Mac", "the new name on the server");
        using (var delete = await http.DeleteAsync($"/api/nodes/{nodeId}"))
            Assert.True(delete.IsSuccessStatusCode, await delete.Content.ReadAsStringAsync());
        var exit = await node.Exited.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(14, exit.ExitCode);
        Assert.Equal(0, (await fleet.NodesAsync()).GetArrayLength());

        // Troubleshooting: re-register; a job stuck on a node that died holding it is reset through the API
        home = await NodeProcess.RegisterAsync(fleet.Dir, server.BaseUrl, "M4 MacBook Pro", Fleet.StandIn); // the same HOME
        nodeId = ReadNodeId(config);
        var stuckJob = fleet.QueueTranscription(stuck);
        using (var claim = new HttpRequestMessage(HttpMethod.Post, $"/api/nodes/{nodeId}/claim?wait=10"))
        {
            claim.Headers.Add("X-Transcriber-Key", ReadApiKey(config));
            using var claimed = await http.SendAsync(claim);
            var answer = await claimed.Content.ReadAsStringAsync();
            Assert.True(answer.Contains($"\"job_id\":{stuckJob.Id},", StringComparison.Ordinal), answer + "\n" + server.Log);
        }
        Assert.Equal(JobStatus.Running, fleet.Job(stuckJob.Id).Status);
        using (var reset = await http.PostAsync($"/api/queue/{stuckJob.Id}/reset", null))
            Assert.True(reset.IsSuccessStatusCode, await reset.Content.ReadAsStringAsync());
        Assert.Equal(JobStatus.Queued, fleet.Job(stuckJob.Id).Status);
        node = await NodeProcess.StartAsync(home, Fleet.StandIn);
        await fleet.WaitForAsync(() => fleet.Job(stuckJob.Id).Status == JobStatus.Completed, "the reset job to complete on the restarted node");

        // Remove a node from the node itself: stop it, `cast2md node unregister`
        await node.DisposeAsync();
        var unregister = await NodeCli(home, null, "node", "unregister");

        // Assert
        Assert.True(unregister.ExitCode == 0, unregister.StandardError);
        Assert.False(File.Exists(config));
        Assert.Equal(0, (await fleet.NodesAsync()).GetArrayLength());
    }

    private static Task<BufferedCommandResult> NodeCli(string home, NodeProcess? node, params string[] arguments)
    {
        var environment = new Dictionary<string, string?> { ["HOME"] = home, ["CAST2MD_NODE_CONFIG"] = null };
        if (node is not null)
            environment["NODE_PORT"] = node.StatusUrl.Port.ToString();
        return Cast2mdBinary.Command(arguments, environment).ExecuteBufferedAsync();
    }

    private static string ReadNodeId(string config)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(config));
        return document.RootElement.GetProperty("node_id").GetString()!;
    }

    private static string ReadApiKey(string config)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(config));
        return document.RootElement.GetProperty("api_key").GetString()!;
    }
}
