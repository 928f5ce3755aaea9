using System.Net;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.Api;

/// <summary>The published binary's start-up: ALLOWED_HOSTS from the environment, blank tokens refused with a sentence and exit 1.</summary>
[Collection(RealProcessesCollection.Name)]
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed class ServeSecuritySpecs
{
    [Fact(Timeout = 60_000)]
    public async Task A_server_answers_the_names_in_allowed_hosts_and_refuses_others()
    {
        // Arrange
        using var data = TempDir.Create();
        await using var server = await ServeProcess.StartAsync(
            data.Path,
            new Dictionary<string, string?> { ["ALLOWED_HOSTS"] = "cast.example.com; *.tailnet.test" }
        );
        using var http = server.Client();
        Task<HttpResponseMessage> As(string host) =>
            http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/queue/status") { Headers = { Host = $"{host}:{server.BaseUrl.Port}" } });

        // Act
        using var configured = await As("cast.example.com");
        using var wildcard = await As("nas.tailnet.test");
        using var other = await As("rebind.attacker.example");

        // Assert
        await ApiAssert.StatusAsync(HttpStatusCode.OK, configured);
        await ApiAssert.StatusAsync(HttpStatusCode.OK, wildcard);
        await ApiAssert.ErrorAsync(HttpStatusCode.BadRequest, other, "ALLOWED_HOSTS");
    }

    [Theory(Timeout = 60_000)]
    [InlineData("CAST2MD_ADMIN_TOKEN", " ", "CAST2MD_ADMIN_TOKEN is set but empty")]
    [InlineData("CAST2MD_REGISTRATION_TOKEN", "  ", "registration token is empty")]
    public async Task A_server_with_a_blank_token_does_not_start_and_says_why(string variable, string value, string message)
    {
        // Arrange
        using var data = TempDir.Create();

        // Act
        var result = await Cast2mdBinary.RunAsync(
            new Dictionary<string, string?> { [variable] = value },
            "serve",
            "--host",
            "0.0.0.0",
            "--port",
            "0",
            "--data-dir",
            data.Path
        );

        // Assert
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.StandardError);
        Assert.Empty(result.StandardOutput);
    }

    [Fact(Timeout = 90_000)]
    public async Task A_node_registered_again_with_its_node_json_keeps_its_row_and_an_impostor_of_the_same_name_does_not_get_it()
    {
        // Arrange
        using var dir = TempDir.Create();
        await using var server = await ServeProcess.StartAsync(
            dir.Combine("data"),
            new Dictionary<string, string?> { ["DISTRIBUTED_TRANSCRIPTION_ENABLED"] = "true" }
        );
        var home = await NodeProcess.RegisterAsync(dir, server.BaseUrl, "box");
        string NodeId(string h) =>
            System
                .Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(h, ".cast2md", "node.json")))
                .RootElement.GetProperty("node_id")
                .GetString()!;
        var first = NodeId(home);

        // Act: the same machine again (node.json with its key), then another machine under the same name
        await NodeProcess.RegisterAsync(dir, server.BaseUrl, "box");
        using var other = TempDir.Create();
        var impostor = await NodeProcess.RegisterAsync(other, server.BaseUrl, "box");

        // Assert
        Assert.Equal(first, NodeId(home));
        Assert.NotEqual(first, NodeId(impostor));
        using var http = server.Client();
        var nodes = await ApiServer.JsonAsync(await http.GetAsync("/api/nodes"));
        Assert.Equal(2, nodes.GetProperty("total").GetInt32());
    }
}
