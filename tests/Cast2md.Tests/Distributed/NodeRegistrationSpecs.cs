using System.Net;
using System.Security.Cryptography;
using System.Text;
using Cast2md.Tests.Api;
using Xunit;

namespace Cast2md.Tests.Distributed;

public class NodeRegistrationSpecs
{
    [Fact]
    public async Task I_can_register_a_node_and_its_256_bit_key_is_stored_only_as_a_hash()
    {
        // Arrange
        await using var server = await NodeSpecs.StartAsync();

        // Act
        var node = await SimulatedNode.RegisterAsync(server.Http, "M4 MacBook Pro");

        // Assert
        var raw = Convert.FromBase64String(node.ApiKey.Replace('-', '+').Replace('_', '/') + "=");
        Assert.Equal(32, raw.Length);
        using var connection = server.Core.Database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM nodes;";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        var stored = Enumerable
            .Range(0, reader.FieldCount)
            .Select(i => reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        Assert.DoesNotContain(stored, value => value!.Contains(node.ApiKey, StringComparison.Ordinal));
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(node.ApiKey))), stored);
    }

    [Fact]
    public async Task I_cannot_register_a_node_while_distributed_transcription_is_off()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();

        // Act
        using var response = await server.PostAsync("/api/nodes/register", """{"name": "gpu-box", "url": "http://127.0.0.1:8001"}""");

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("DISTRIBUTED_TRANSCRIPTION_ENABLED", (await ApiServer.JsonAsync(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task I_need_the_registration_or_admin_token_to_register_on_a_server_beyond_loopback()
    {
        // Arrange
        await using var server = await NodeSpecs.StartAsync(host: "0.0.0.0", registrationToken: "join-the-fleet");
        const string body = """{"name": "gpu-box", "url": "http://10.0.0.5:8001"}""";

        // Act
        using var anonymous = await server.PostAsync("/api/nodes/register", body);
        using var wrongToken = await server.PostAsync("/api/nodes/register", """{"name": "gpu-box", "registration_token": "guess"}""");
        using var withToken = await server.PostAsync("/api/nodes/register", """{"name": "gpu-box", "registration_token": "join-the-fleet"}""");
        using var asAdmin = await server.WithToken(
            new HttpRequestMessage(HttpMethod.Post, "/api/nodes/register") { Content = new StringContent(body, Encoding.UTF8, "application/json") },
            server.AdminToken
        );

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("registration token", (await ApiServer.JsonAsync(anonymous)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, wrongToken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withToken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, asAdmin.StatusCode);
    }

    [Fact]
    public async Task A_node_beyond_loopback_works_with_its_key_alone_while_the_admin_list_needs_the_admin_token()
    {
        // Arrange
        await using var server = await NodeSpecs.StartAsync(host: "0.0.0.0", registrationToken: "join");
        using var register = await server.PostAsync("/api/nodes/register", """{"name": "n", "registration_token": "join"}""");
        var json = await ApiServer.JsonAsync(register);
        var node = new SimulatedNode(server.Http, json.GetProperty("node_id").GetString()!, json.GetProperty("api_key").GetString()!, "n");

        // Act
        using var heartbeat = await node.HeartbeatAsync();
        using var list = await server.GetAsync("/api/nodes");

        // Assert
        Assert.Equal(HttpStatusCode.OK, heartbeat.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
    }

    [Fact]
    public async Task I_get_401_for_a_missing_or_wrong_key_on_every_node_call()
    {
        // Arrange
        await using var server = await NodeSpecs.StartAsync();
        var node = await SimulatedNode.RegisterAsync(server.Http);
        var impostor = new SimulatedNode(server.Http, node.Id, "not-the-key", "impostor");
        var (_, job) = server.QueueTranscription();

        // Act
        using var missing = await server.PostAsync($"/api/nodes/{node.Id}/heartbeat", "{}");
        var wrong = new[]
        {
            await impostor.HeartbeatAsync(),
            await impostor.SendAsync(HttpMethod.Post, $"/api/nodes/{node.Id}/claim", null),
            await impostor.AudioAsync(job.Id),
            await impostor.ProgressAsync(job.Id, 10),
            await impostor.CompleteAsync(job.Id),
            await impostor.FailAsync(job.Id, "x"),
            await impostor.ReleaseAsync(job.Id),
        };

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("Missing X-Transcriber-Key header", (await ApiServer.JsonAsync(missing)).GetProperty("detail").GetString());
        Assert.All(wrong, response => Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode));
        Assert.Equal(Cast2md.Queue.JobStatus.Queued, server.Core.Jobs.Get(job.Id)!.Status);
    }

    [Fact]
    public async Task Registering_again_under_an_offline_nodes_name_with_the_admin_token_takes_its_row_over_but_an_online_namesake_is_kept()
    {
        // Arrange
        await using var server = await NodeSpecs.StartAsync();
        var first = await SimulatedNode.RegisterAsync(server.Http, "runpod-1");
        HttpRequestMessage AsAdmin() =>
            new(HttpMethod.Post, "/api/nodes/register")
            {
                Content = new StringContent("""{"name": "runpod-1", "url": "http://127.0.0.1:9"}""", System.Text.Encoding.UTF8, "application/json"),
            };

        // Act: never heard from, so offline: the admin re-registering the name takes the row over with a new key
        var againJson = await ApiServer.JsonAsync(await server.WithToken(AsAdmin(), server.AdminToken));
        var again = new SimulatedNode(
            server.Http,
            againJson.GetProperty("node_id").GetString()!,
            againJson.GetProperty("api_key").GetString()!,
            "runpod-1"
        );
        using var oldKey = await first.HeartbeatAsync();
        using var online = await again.HeartbeatAsync();
        var thirdJson = await ApiServer.JsonAsync(await server.WithToken(AsAdmin(), server.AdminToken));

        // Assert
        Assert.Equal(first.Id, again.Id);
        Assert.Equal(HttpStatusCode.Unauthorized, oldKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, online.StatusCode);
        Assert.NotEqual(again.Id, thirdJson.GetProperty("node_id").GetString());
        Assert.Equal(2, server.Core.Nodes.List().Count);
    }

    [Fact]
    public async Task A_rename_in_a_heartbeat_reaches_the_server()
    {
        // Arrange
        await using var server = await NodeSpecs.StartAsync();
        var node = await SimulatedNode.RegisterAsync(server.Http, "old name");

        // Act
        using var heartbeat = await node.HeartbeatAsync(
            new
            {
                name = "M4 MacBook Pro",
                url = "http://127.0.0.1:18001",
                whisper_model = "base",
            }
        );

        // Assert
        var stored = server.Core.Nodes.Get(node.Id)!;
        Assert.Equal(("M4 MacBook Pro", "http://127.0.0.1:18001", "base"), (stored.Name, stored.Url, stored.WhisperModel));
    }

    [Fact]
    public async Task I_get_a_clear_400_for_a_registration_without_a_name_or_with_bad_json()
    {
        // Arrange
        await using var server = await NodeSpecs.StartAsync();

        // Act
        using var noName = await server.PostAsync("/api/nodes/register", """{"url": "http://127.0.0.1:8001"}""");
        using var badUrl = await server.PostAsync("/api/nodes/register", """{"name": "n", "url": "file:///etc/passwd"}""");
        using var badJson = await server.PostAsync("/api/nodes/register", """{"name": """);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, noName.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badUrl.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badJson.StatusCode);
        Assert.Empty(server.Core.Nodes.List());
    }
}
