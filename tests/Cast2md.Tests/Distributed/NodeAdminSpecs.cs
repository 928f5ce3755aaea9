using System.Net;
using Cast2md.Queue;
using Cast2md.Tests.Api;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.Distributed;

public class NodeAdminSpecs
{
    [Fact]
    public async Task I_can_add_a_node_by_hand_and_see_its_key_only_once()
    {
        // Arrange
        await using var server = await NodeSpecs.StartAsync();

        // Act
        using var added = await server.PostAsync(
            "/api/nodes",
            """{"name": "Mac mini", "url": "http://127.0.0.2:8001", "whisper_model": "base", "priority": 5}"""
        );
        using var list = await server.GetAsync("/api/nodes");

        // Assert
        var json = await ApiServer.JsonAsync(added);
        var key = json.GetProperty("api_key").GetString()!;
        Assert.Contains("not shown again", json.GetProperty("message").GetString());
        var listed = await list.Content.ReadAsStringAsync();
        Assert.DoesNotContain(key, listed);
        Assert.DoesNotContain("api_key", listed);
        var node = (await ApiServer.JsonAsync(list)).GetProperty("nodes")[0];
        Assert.Equal(
            ("Mac mini", "offline", 5),
            (node.GetProperty("name").GetString(), node.GetProperty("status").GetString(), node.GetProperty("priority").GetInt32())
        );
    }

    [Fact]
    public async Task A_node_is_online_after_a_heartbeat_and_busy_while_it_holds_a_job()
    {
        // Arrange
        await using var server = await NodeSpecs.StartAsync();
        var node = await SimulatedNode.RegisterAsync(server.Http, "worker");
        server.QueueTranscription();

        // Act
        using var heartbeat = await node.HeartbeatAsync();
        var online = await StatusOf(server);
        var (jobId, _) = await node.ClaimAsync();
        await node.ProgressAsync(jobId!.Value, 37);
        var busy = await StatusOf(server);

        // Assert
        Assert.Equal("online", online.GetProperty("status").GetString());
        Assert.Equal("busy", busy.GetProperty("status").GetString());
        Assert.Equal(jobId, busy.GetProperty("current_job_id").GetInt64());
        Assert.Equal(37, busy.GetProperty("current_job_progress").GetDouble());
    }

    [Fact]
    public async Task Test_really_probes_the_nodes_status_endpoint()
    {
        // Arrange
        await using var server = await NodeSpecs.StartAsync();
        await using var nodeStatus = FixtureServer.Start().Map("/status", FixtureResponse.Text("{}", "application/json"));
        var reachable = await SimulatedNode.RegisterAsync(server.Http, "reachable", url: nodeStatus.BaseUrl.ToString().TrimEnd('/'));
        var unreachable = await SimulatedNode.RegisterAsync(server.Http, "gone", url: "http://127.0.0.1:9");

        // Act
        using var ok = await server.PostAsync($"/api/nodes/{reachable.Id}/test");
        using var failed = await server.PostAsync($"/api/nodes/{unreachable.Id}/test");
        using var unknown = await server.PostAsync("/api/nodes/no-such-node/test");

        // Assert
        var okJson = await ApiServer.JsonAsync(ok);
        Assert.Equal("Node 'reachable' is reachable", okJson.GetProperty("message").GetString());
        Assert.True(okJson.GetProperty("reachable").GetBoolean());
        Assert.Single(nodeStatus.RequestsTo("/status"));
        var failedJson = await ApiServer.JsonAsync(failed);
        Assert.StartsWith("Failed to reach node", failedJson.GetProperty("message").GetString());
        Assert.False(failedJson.GetProperty("reachable").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Deleting_a_node_returns_its_jobs_to_the_queue_at_once()
    {
        // Arrange: the original left them running until its 30-minute timeout
        await using var server = await NodeSpecs.StartAsync();
        var node = await SimulatedNode.RegisterAsync(server.Http);
        var (_, job) = server.QueueTranscription();
        await node.ClaimAsync();

        // Act
        using var deleted = await server.SendJsonAsync(HttpMethod.Delete, $"/api/nodes/{node.Id}");
        using var heartbeat = await node.HeartbeatAsync();

        // Assert
        var json = await ApiServer.JsonAsync(deleted);
        Assert.Equal("Node deleted", json.GetProperty("message").GetString());
        Assert.Equal([job.Id], json.GetProperty("released_job_ids").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(JobStatus.Queued, server.Core.Jobs.Get(job.Id)!.Status);
        Assert.Equal(HttpStatusCode.NotFound, heartbeat.StatusCode);
    }

    [Fact]
    public async Task A_node_can_unregister_itself_with_its_own_key_but_not_another_node()
    {
        // Arrange
        await using var server = await NodeSpecs.StartAsync();
        var node = await SimulatedNode.RegisterAsync(server.Http, "self");
        var other = await SimulatedNode.RegisterAsync(server.Http, "other");

        // Act
        using var wrong = await other.SendAsync(HttpMethod.Delete, $"/api/nodes/{node.Id}", null);
        using var own = await node.SendAsync(HttpMethod.Delete, $"/api/nodes/{node.Id}", null);

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(["other"], server.Core.Nodes.List().Select(n => n.Name));
    }

    [Fact]
    public async Task I_can_list_and_remove_stale_nodes_but_not_one_that_holds_a_job()
    {
        // Arrange
        await using var server = await NodeSpecs.StartAsync();
        var idle = await SimulatedNode.RegisterAsync(server.Http, "idle");
        var holding = await SimulatedNode.RegisterAsync(server.Http, "holding");
        var fresh = await SimulatedNode.RegisterAsync(server.Http, "fresh");
        server.QueueTranscription();
        await holding.ClaimAsync();
        await fresh.HeartbeatAsync();
        using (var connection = server.Core.Database.Connect())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "UPDATE nodes SET last_heartbeat_ms = $old WHERE name IN ('idle', 'holding');";
            command.Parameters.AddWithValue("$old", DateTimeOffset.UtcNow.AddHours(-30).ToUnixTimeMilliseconds());
            command.ExecuteNonQuery();
        }

        // Act
        using var listed = await server.GetAsync("/api/nodes/stale?offline_hours=24");
        using var deleted = await server.SendJsonAsync(HttpMethod.Delete, "/api/nodes/stale?offline_hours=24");

        // Assert
        var stale = await ApiServer.JsonAsync(listed);
        Assert.Equal(2, stale.GetProperty("stale_count").GetInt32());
        Assert.Equal(1, (await ApiServer.JsonAsync(deleted)).GetProperty("deleted_count").GetInt32());
        Assert.Equal(["fresh", "holding"], server.Core.Nodes.List().Select(n => n.Name).Order());
        Assert.DoesNotContain(idle.Id, server.Core.Nodes.List().Select(n => n.Id));
    }

    private static async Task<System.Text.Json.JsonElement> StatusOf(ApiServer server)
    {
        using var response = await server.GetAsync("/api/nodes");
        return (await ApiServer.JsonAsync(response)).GetProperty("nodes")[0];
    }
}
