using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Cast2md.Errors;
using Cast2md.Services;
using ModelContextProtocol.Protocol;

namespace Cast2md.Cli.Mcp;

/// <summary>
/// Runs one tool call on the services the REST API uses. A refusal of ours (unknown episode, bad argument, a feed
/// that cannot be fetched) is a tool error the model can read, never a protocol error or a stack trace.
/// </summary>
internal sealed partial class McpTools(Cast2mdCore core)
{
    public async ValueTask<CallToolResult> CallAsync(string? name, IDictionary<string, JsonElement>? arguments, CancellationToken cancellationToken)
    {
        var args = new McpArguments(arguments);
        try
        {
            return name switch
            {
                "search" => SearchTranscripts(args),
                "list_feeds" => ListFeeds(),
                "find_feed" => FindFeed(args),
                "get_feed" => GetFeed(args),
                "get_episode" => GetEpisode(args),
                "get_transcript" => await GetTranscriptAsync(args, cancellationToken),
                "recent_episodes" => RecentEpisodes(args),
                "queue_episode" => QueueEpisode(args),
                "queue_status" => QueueStatus(),
                "add_feed" => await AddFeedAsync(args, cancellationToken),
                "refresh_feed" => await RefreshFeedAsync(args, cancellationToken),
                _ => Error($"Unknown tool '{name}'."),
            };
        }
        catch (Cast2mdException ex)
        {
            return Error(ex.Message);
        }
    }

    private static CallToolResult Text(string text) => new() { Content = [new TextContentBlock { Text = text }] };

    private static CallToolResult Json<T>(T value, JsonTypeInfo<T> typeInfo) => Text(JsonSerializer.Serialize(value, typeInfo));

    private static CallToolResult Error(string message) => new() { Content = [new TextContentBlock { Text = message }], IsError = true };

    /// <summary>A limit argument within 1..<paramref name="max"/>.</summary>
    private static int Limit(McpArguments args, string name, int fallback, int max)
    {
        var value = args.OptionalLong(name) ?? fallback;
        if (value < 1 || value > max)
            throw new InvalidRequestException($"'{name}' must be between 1 and {max}.");
        return (int)value;
    }
}
