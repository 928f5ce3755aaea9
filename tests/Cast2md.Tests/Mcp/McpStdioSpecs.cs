using System.Text.Json;
using Cast2md.Tests.Api;
using Cast2md.Tests.Infra;
using Cast2md.Tests.Search;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Xunit;

namespace Cast2md.Tests.Mcp;

/// <summary>`cast2md mcp` as Claude runs it: the published binary on stdio, driven by the SDK's own client.</summary>
[Collection(RealProcessesCollection.Name)]
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed class McpStdioSpecs
{
    /// <summary>The published binary's MCP server on the data folder of <paramref name="server"/> (which seeded it).</summary>
    private static Task<McpClient> ConnectAsync(ApiServer server) =>
        McpClient.CreateAsync(
            new StdioClientTransport(
                new StdioClientTransportOptions
                {
                    Name = "cast2md",
                    Command = Cast2mdBinary.Path,
                    Arguments = ["mcp", "--data-dir", server.DataDirectory],
                    WorkingDirectory = Paths.RepoRoot,
                }
            )
        );

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text));

    [Fact(Timeout = 60000)]
    public async Task A_client_lists_the_tools_of_the_original()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        await using var client = await ConnectAsync(server);

        // Act
        var tools = (await client.ListToolsAsync()).Select(t => t.Name).ToHashSet();

        // Assert
        string[] expected =
        [
            "search",
            "list_feeds",
            "find_feed",
            "get_feed",
            "get_episode",
            "get_transcript",
            "recent_episodes",
            "queue_episode",
            "queue_status",
            "add_feed",
            "refresh_feed",
        ];
        Assert.Subset(tools, expected.ToHashSet());
    }

    [Fact(Timeout = 60000)]
    public async Task A_client_reads_an_episodes_transcript_whole_and_from_a_time_on()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var episode = await server.GiveTranscriptAsync(server.AddEpisode(server.AddFeed().Id, "Episode One"), "Hello and welcome");
        await using var client = await ConnectAsync(server);

        // Act
        var whole = await client.CallToolAsync("get_transcript", new Dictionary<string, object?> { ["episode_id"] = episode.Id });
        var later = await client.CallToolAsync(
            "get_transcript",
            new Dictionary<string, object?>
            {
                ["episode_id"] = episode.Id,
                ["start_time"] = 2,
                ["duration"] = 10,
            }
        );

        // Assert
        Assert.NotEqual(true, whole.IsError);
        Assert.Contains("Hello and welcome", Text(whole));
        Assert.Contains("[00:02] to the show.", Text(later));
        Assert.DoesNotContain("Hello and welcome", Text(later));
    }

    [Fact(Timeout = 60000)]
    public async Task A_client_searches_the_transcripts_and_gets_the_segment_that_matched()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var feed = server.AddFeed("Sea Stories");
        var episode = server.AddEpisode(feed.Id, "Keepers");
        await SearchData.CommitTranscriptAsync(server.Core, episode, "Intro.", "Keepers of the lighthouse.");
        await using var client = await ConnectAsync(server);

        // Act
        var found = await client.CallToolAsync("search", new Dictionary<string, object?> { ["query"] = "lighthouse", ["feed_id"] = feed.Id });
        var none = await client.CallToolAsync("search", new Dictionary<string, object?> { ["query"] = "submarine" });

        // Assert
        Assert.NotEqual(true, found.IsError);
        using var page = JsonDocument.Parse(Text(found));
        var hit = Assert.Single(page.RootElement.GetProperty("results").EnumerateArray());
        Assert.Equal("segment", hit.GetProperty("kind").GetString());
        Assert.Equal(episode.Id, hit.GetProperty("episode_id").GetInt64());
        Assert.Equal("Sea Stories", hit.GetProperty("feed_title").GetString());
        Assert.Equal("00:00:10", hit.GetProperty("start").GetString());
        Assert.Equal(10_000, hit.GetProperty("start_ms").GetInt64());
        Assert.Contains("**lighthouse**", hit.GetProperty("snippet").GetString());
        Assert.NotEqual(true, none.IsError);
        Assert.Empty(JsonDocument.Parse(Text(none)).RootElement.GetProperty("results").EnumerateArray());
    }

    [Fact(Timeout = 60000)]
    public async Task A_search_the_index_cannot_run_is_a_tool_error_in_our_words()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        await using var client = await ConnectAsync(server);

        // Act
        var result = await client.CallToolAsync("search", new Dictionary<string, object?> { ["query"] = "-everything" });

        // Assert
        Assert.True(result.IsError);
        Assert.Equal("The search query only excludes words; give at least one word to find.", Text(result));
    }

    [Fact(Timeout = 60000)]
    public async Task A_client_lists_the_feeds_and_reads_the_feeds_resource()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        server.AddFeed("The Daily Spec");
        await using var client = await ConnectAsync(server);

        // Act
        var feeds = await client.CallToolAsync("list_feeds");
        var resource = await client.ReadResourceAsync("cast2md://feeds");

        // Assert
        Assert.Contains("The Daily Spec", Text(feeds));
        Assert.Contains("The Daily Spec", string.Concat(resource.Contents.OfType<TextResourceContents>().Select(c => c.Text)));
    }

    [Fact(Timeout = 60000)]
    public async Task An_unknown_episode_is_a_tool_error_that_says_so()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        await using var client = await ConnectAsync(server);

        // Act
        var result = await client.CallToolAsync("get_episode", new Dictionary<string, object?> { ["episode_id"] = 424242 });

        // Assert
        Assert.True(result.IsError);
        Assert.Equal("Episode 424242 not found.", Text(result));
    }
}
