using System.Text.Json;
using Xunit;

namespace Cast2md.Tests.Api;

public sealed class StatusApiSpecs
{
    [Fact(Timeout = 30_000)]
    public async Task I_can_read_the_status_with_the_feed_count_and_the_whisper_settings_in_effect()
    {
        // Arrange: a database override, as PUT /api/settings stores it.
        await using var server = await ApiServer.StartAsync();
        server.AddFeed("One");
        server.AddFeed("Two", url: "https://example.test/two.xml");
        server.Core.Settings.Update(new Dictionary<string, string> { ["WHISPER_MODEL"] = "small", ["WHISPER_DEVICE"] = "cpu" });

        // Act
        using var response = await server.GetAsync("/api/status");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        // Assert
        var status = json.RootElement;
        Assert.Equal(2, status.GetProperty("feed_count").GetInt32());
        Assert.Equal("small", status.GetProperty("whisper_model").GetString());
        Assert.Equal("cpu", status.GetProperty("whisper_device").GetString());
    }
}
