using System.Net;
using Cast2md.NodeRegistry;
using Cast2md.Services;
using Cast2md.Tests.Api;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.Notifications;

/// <summary>The published binary's `serve` drains the outbox in the background and answers the test button.</summary>
[Collection(RealProcessesCollection.Name)]
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed class ServeNotificationSpecs
{
    [Fact(Timeout = 60_000)]
    public async Task Serve_notices_a_node_that_went_offline_and_sends_it_to_ntfy_and_its_test_button_works()
    {
        // Arrange: a node that last reported two minutes ago (the timeout is 60 s)
        using var dir = TempDir.Create();
        await using var receiver = FixtureServer.Start();
        receiver.Map("/alerts", FixtureResponse.Text("{}", "application/json"));
        var data = dir.Combine("data");
        var core = Cast2mdCore.Open(data, _ => null);
        var (node, _) = core.Nodes.Register(new NodeRegistration("attic-gpu", null, "base", null, [], 10), TimeSpan.FromMinutes(1));
        NodeHeartbeats.Backdate(core.Database.Path, node.Id, TimeSpan.FromMinutes(2));

        // Act
        await using var server = await ServeProcess.StartAsync(
            data,
            new Dictionary<string, string?>
            {
                ["NTFY_ENABLED"] = "true",
                ["NTFY_URL"] = receiver.BaseUrl.ToString(),
                ["NTFY_TOPIC"] = "alerts",
            }
        );
        await Eventually.TrueAsync(
            () => receiver.RequestsTo("/alerts").Count > 0,
            TimeSpan.FromSeconds(20),
            "serve sends the node-offline notification"
        );
        using var http = server.Client();
        var test = await ApiAssert.StatusAsync(HttpStatusCode.OK, await http.PostAsync("/api/settings/notifications/test", null));

        // Assert
        var offline = receiver.RequestsTo("/alerts")[0];
        Assert.Equal(("Node offline", "high"), (offline.Header("Title"), offline.Header("Priority")));
        Assert.Contains("attic-gpu", offline.BodyText);
        var target = Assert.Single(test.GetProperty("targets").EnumerateArray());
        Assert.True(target.GetProperty("ok").GetBoolean());
        Assert.Equal(2, receiver.RequestsTo("/alerts").Count);
    }
}
