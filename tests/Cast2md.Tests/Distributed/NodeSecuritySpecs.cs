using System.Net;
using System.Text;
using Cast2md.Tests.Api;
using Xunit;

namespace Cast2md.Tests.Distributed;

/// <summary>What a node may claim about itself: a name is no proof of identity, and every string it sends is bounded.</summary>
public sealed class NodeSecuritySpecs
{
    private static async Task<HttpResponseMessage> RegisterAsync(ApiServer server, string name, string? nodeKey = null, string? adminToken = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/nodes/register")
        {
            Content = new StringContent($"{{\"name\": \"{name}\", \"url\": \"http://127.0.0.1:9\"}}", Encoding.UTF8, "application/json"),
        };
        if (nodeKey is not null)
            request.Headers.Add("X-Transcriber-Key", nodeKey);
        return await server.WithToken(request, adminToken);
    }

    [Fact(Timeout = 20000)]
    public async Task Registering_under_an_offline_nodes_name_does_not_take_its_row_without_its_key_or_the_admin_token()
    {
        // Arrange: an offline node (never heard from)
        await using var server = await NodeSpecs.StartAsync();
        var victim = await SimulatedNode.RegisterAsync(server.Http, "gpu-box");

        // Act
        var impostor = await ApiServer.JsonAsync(await RegisterAsync(server, "gpu-box"));
        using var victimBeat = await victim.HeartbeatAsync();

        // Assert: a row of its own; the victim keeps its row and key
        Assert.NotEqual(victim.Id, impostor.GetProperty("node_id").GetString());
        Assert.Equal(HttpStatusCode.OK, victimBeat.StatusCode);
        Assert.Equal(2, server.Core.Nodes.List().Count);
    }

    [Fact(Timeout = 20000)]
    public async Task A_node_that_registers_again_with_its_current_key_or_with_the_admin_token_gets_its_row_back()
    {
        // Arrange
        await using var server = await NodeSpecs.StartAsync();
        var node = await SimulatedNode.RegisterAsync(server.Http, "runpod-1");
        var other = await SimulatedNode.RegisterAsync(server.Http, "runpod-2");

        // Act
        var withKey = await ApiServer.JsonAsync(await RegisterAsync(server, "runpod-1", nodeKey: node.ApiKey));
        var withAdmin = await ApiServer.JsonAsync(await RegisterAsync(server, "runpod-2", adminToken: server.AdminToken));
        using var oldKey = await node.HeartbeatAsync();

        // Assert
        Assert.Equal(node.Id, withKey.GetProperty("node_id").GetString());
        Assert.Equal(other.Id, withAdmin.GetProperty("node_id").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, oldKey.StatusCode);
        Assert.Equal(2, server.Core.Nodes.List().Count);
    }

    [Theory(Timeout = 20000)]
    [InlineData("name", 201)]
    [InlineData("url", 2049)]
    [InlineData("whisper_model", 201)]
    [InlineData("whisper_backend", 101)]
    public async Task A_heartbeat_with_an_overlong_field_gets_a_400_that_names_the_field(string field, int length)
    {
        // Arrange
        await using var server = await NodeSpecs.StartAsync();
        var node = await SimulatedNode.RegisterAsync(server.Http, "n");
        var value = field == "url" ? "http://127.0.0.1/" + new string('a', length - 17) : new string('a', length);

        // Act
        using var response = await node.HeartbeatAsync(new Dictionary<string, string> { [field] = value });

        // Assert
        var detail = await ApiAssert.ErrorAsync(HttpStatusCode.BadRequest, response, field);
        Assert.Contains("at most", detail);
        Assert.Equal("n", server.Core.Nodes.Get(node.Id)!.Name);
    }

    [Fact(Timeout = 20000)]
    public async Task A_registration_with_too_many_models_gets_a_400_and_a_long_failure_report_is_cut_not_refused()
    {
        // Arrange
        await using var server = await NodeSpecs.StartAsync();
        var node = await SimulatedNode.RegisterAsync(server.Http, "n");
        var (_, job) = server.QueueTranscription();
        await node.ClaimAsync();
        var models = string.Join(',', Enumerable.Range(0, 101).Select(i => $"\"m{i}\""));

        // Act
        using var tooMany = await server.PostAsync("/api/nodes/register", $"{{\"name\": \"m\", \"models\": [{models}]}}");
        using var fail = await node.FailAsync(job.Id, new string('e', 10_000));

        // Assert
        await ApiAssert.ErrorAsync(HttpStatusCode.BadRequest, tooMany, "models");
        Assert.Equal(HttpStatusCode.OK, fail.StatusCode);
        Assert.InRange(server.Core.Jobs.Get(job.Id)!.ErrorMessage!.Length, 1000, 2100);
    }
}
