using Cast2md.NodeRegistry;
using Cast2md.Queue;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.CommandLine;

/// <summary>cast2md nodes list|add|test|remove against the published binary.</summary>
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed class NodeAdminCommandSpecs
{
    [Fact(Timeout = 30_000)]
    public async Task I_can_add_a_node_by_hand_and_see_it_listed_without_its_key()
    {
        // Arrange
        using var data = new CliData();

        // Act
        var added = await data.RunAsync("nodes", "add", "--name", "Mac mini", "--url", "http://127.0.0.2:8001", "--priority", "5", "--json");
        var listed = await data.RunAsync("nodes", "list");
        var listedJson = await data.RunAsync("nodes", "list", "--json");

        // Assert
        Assert.Equal(0, added.ExitCode);
        var key = CliData.Json(added).GetProperty("api_key").GetString()!;
        Assert.True(key.Length >= 43);
        Assert.Matches(@"Mac mini\s+offline", listed.StandardOutput);
        Assert.DoesNotContain(key, listed.StandardOutput + listedJson.StandardOutput);
        Assert.Equal(1, CliData.Json(listedJson).GetProperty("total").GetInt32());
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_remove_a_node_and_its_jobs_go_back_to_the_queue()
    {
        // Arrange
        using var data = new CliData();
        var (node, _) = data.Core.Nodes.Register(new NodeRegistration("gpu", "http://127.0.0.1:9", null, null, [], 10), TimeSpan.FromSeconds(60));
        var episode = data.AddEpisode(data.AddFeed(), "Held");
        data.Core.Jobs.Enqueue(episode.Id, JobType.Transcribe);
        var lease = data.Core.Jobs.TryClaim(JobType.Transcribe, node.WorkerId, TimeSpan.FromMinutes(30))!;

        // Act
        var removed = await data.RunAsync("nodes", "remove", node.Id[..8]);
        var unknown = await data.RunAsync("nodes", "remove", "ffffffff");

        // Assert
        Assert.Equal(0, removed.ExitCode);
        Assert.Contains("1 job(s) it held went back to the queue", removed.StandardOutput);
        Assert.Equal(JobStatus.Queued, data.Core.Jobs.Get(lease.Job.Id)!.Status);
        Assert.Empty(data.Core.Nodes.List());
        Assert.Equal(1, unknown.ExitCode);
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_test_a_node_and_get_exit_code_1_when_it_does_not_answer()
    {
        // Arrange
        using var data = new CliData();
        var (node, _) = data.Core.Nodes.Register(new NodeRegistration("gone", "http://127.0.0.1:9", null, null, [], 10), TimeSpan.FromSeconds(60));

        // Act
        var result = await data.RunAsync("nodes", "test", node.Id);

        // Assert
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Failed to reach node", result.StandardOutput);
    }
}
