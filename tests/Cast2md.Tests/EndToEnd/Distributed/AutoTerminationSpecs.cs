using Cast2md.Queue;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.EndToEnd.Distributed;

/// <summary>The auto-termination rules with tiny values: each rule ends the node with its own exit code and says why.</summary>
[Collection(RealProcessesCollection.Name)]
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed class AutoTerminationSpecs
{
    private static Dictionary<string, string?> Rules(params (string Key, string Value)[] set)
    {
        // Every rule off except the ones a spec switches on.
        var environment = new Dictionary<string, string?>
        {
            ["NODE_PERSISTENT"] = "0",
            ["NODE_REQUIRED_EMPTY_CHECKS"] = "1000",
            ["NODE_EMPTY_QUEUE_WAIT"] = "0.2",
            ["NODE_IDLE_TIMEOUT_MINUTES"] = "0",
            ["NODE_SERVER_UNREACHABLE_MINUTES"] = "0",
            ["NODE_MAX_CONSECUTIVE_FAILURES"] = "0",
        };
        foreach (var (key, value) in set)
            environment[key] = value;
        return environment;
    }

    private static async Task<(int ExitCode, string Log)> RunUntilExitAsync(NodeProcess node)
    {
        var result = await node.Exited.WaitAsync(TimeSpan.FromSeconds(60));
        return (result.ExitCode, node.Log);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_node_exits_with_10_after_the_required_empty_queue_checks()
    {
        await using var fleet = Fleet.Create();
        await fleet.StartServerAsync();
        var node = await fleet.StartNodeAsync("empty", Rules(("NODE_REQUIRED_EMPTY_CHECKS", "2")));

        var (code, log) = await RunUntilExitAsync(node);

        Assert.Equal(10, code);
        Assert.Contains("empty", log, StringComparison.OrdinalIgnoreCase);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_node_exits_with_11_when_no_job_finished_within_the_idle_timeout()
    {
        await using var fleet = Fleet.Create();
        await fleet.StartServerAsync();
        var node = await fleet.StartNodeAsync("idle", Rules(("NODE_IDLE_TIMEOUT_MINUTES", "0.03")));

        var (code, log) = await RunUntilExitAsync(node);

        Assert.Equal(11, code);
        Assert.Contains("idle", log, StringComparison.OrdinalIgnoreCase);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_node_exits_with_12_when_the_server_stays_unreachable()
    {
        await using var fleet = Fleet.Create();
        var server = await fleet.StartServerAsync();
        var node = await fleet.StartNodeAsync("orphan", Rules(("NODE_SERVER_UNREACHABLE_MINUTES", "0.03")));

        await server.KillHardAsync();
        var (code, log) = await RunUntilExitAsync(node);

        Assert.Equal(12, code);
        Assert.Contains("unreachable", log, StringComparison.OrdinalIgnoreCase);
    }

    [Fact(Timeout = 180_000)]
    public async Task A_node_exits_with_13_after_consecutive_failed_jobs_and_gives_nothing_up_it_still_holds()
    {
        // Arrange: "audio" the transcriber cannot decode
        await using var fleet = Fleet.Create();
        var broken = Path.Combine(fleet.Dir.Path, "broken.mp3");
        await File.WriteAllTextAsync(broken, "this is not audio");
        var episodes = fleet.AddEpisodes(3, broken);
        fleet.ServerEnvironment["LOCAL_TRANSCRIPTION_ENABLED"] = "false";
        await fleet.StartServerAsync();
        foreach (var episode in episodes)
            fleet.QueueTranscription(episode);

        // Act
        var node = await fleet.StartNodeAsync("broken-gpu", Rules(("NODE_MAX_CONSECUTIVE_FAILURES", "2")));
        var (code, log) = await RunUntilExitAsync(node);

        // Assert
        Assert.Equal(13, code);
        Assert.Contains("consecutive", log, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(fleet.Core.Jobs.List(type: JobType.Transcribe), j => j.Status == JobStatus.Running);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_node_exits_with_14_once_the_server_deleted_it()
    {
        await using var fleet = Fleet.Create();
        await fleet.StartServerAsync();
        var node = await fleet.StartNodeAsync("deleted", Rules());
        using var http = fleet.Server.Client();

        using var deleted = await http.DeleteAsync($"/api/nodes/{Fleet.NodeIdOf(node)}");
        var (code, log) = await RunUntilExitAsync(node);

        Assert.True(deleted.IsSuccessStatusCode);
        Assert.Equal(14, code);
        Assert.Contains("register", log, StringComparison.OrdinalIgnoreCase);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_persistent_node_ignores_every_rule()
    {
        await using var fleet = Fleet.Create();
        await fleet.StartServerAsync();
        var node = await fleet.StartNodeAsync(
            "persistent",
            Rules(("NODE_PERSISTENT", "1"), ("NODE_REQUIRED_EMPTY_CHECKS", "1"), ("NODE_IDLE_TIMEOUT_MINUTES", "0.01"))
        );

        await Task.Delay(TimeSpan.FromSeconds(4));

        Assert.False(node.Exited.IsCompleted, node.Log);
    }
}
