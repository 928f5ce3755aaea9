using System.Globalization;
using Cast2md.Api;
using Cast2md.Json;
using Cast2md.Services;
using Cast2md.Transcripts;
using ModelContextProtocol.Protocol;

namespace Cast2md.Cli.Mcp;

internal sealed partial class McpTools
{
    private CallToolResult ListFeeds() =>
        Json(new FeedListResponse(core.Feeds.List().Select(FeedResponse.From).ToList()), Cast2mdJsonContext.Default.FeedListResponse);

    private CallToolResult FindFeed(McpArguments args)
    {
        var name = args.RequiredString("name");
        var found = core
            .Feeds.List()
            .Where(f =>
                f.DisplayTitle.Contains(name, StringComparison.OrdinalIgnoreCase)
                || f.Title.Contains(name, StringComparison.OrdinalIgnoreCase)
                || f.Url.Contains(name, StringComparison.OrdinalIgnoreCase)
            )
            .Select(FeedResponse.From)
            .ToList();
        return found.Count == 0
            ? Text($"No feed's title or address contains '{name}'.")
            : Json(new FeedListResponse(found), Cast2mdJsonContext.Default.FeedListResponse);
    }

    private CallToolResult GetFeed(McpArguments args)
    {
        var id = args.RequiredLong("feed_id");
        var feed = core.Feeds.List().FirstOrDefault(f => f.Id == id) ?? throw new NotFoundException($"Feed {id} not found.");
        var (episodes, total) = core.Episodes.ListByFeed(id, Limit(args, "limit", 20, 200));
        var text =
            Serialize(FeedResponse.From(feed), Cast2mdJsonContext.Default.FeedResponse)
            + "\n"
            + Serialize(
                new EpisodeListResponse(episodes.Select(EpisodeResponse.From).ToList(), total),
                Cast2mdJsonContext.Default.EpisodeListResponse
            );
        return Text(text);
    }

    private CallToolResult GetEpisode(McpArguments args)
    {
        var id = args.RequiredLong("episode_id");
        var episode = core.Episodes.Get(id) ?? throw new NotFoundException($"Episode {id} not found.");
        return Json(EpisodeResponse.From(episode), Cast2mdJsonContext.Default.EpisodeResponse);
    }

    private CallToolResult RecentEpisodes(McpArguments args)
    {
        var days = Limit(args, "days", 7, 3650);
        var recent = core.Episodes.Recent(TimeSpan.FromDays(days), Limit(args, "limit", 50, 500)).Select(EpisodeResponse.From).ToList();
        return Json(new EpisodeListResponse(recent, recent.Count), Cast2mdJsonContext.Default.EpisodeListResponse);
    }

    /// <summary>The whole transcript (md or txt), or with start_time only that stretch, as the REST section endpoint gives it.</summary>
    private async Task<CallToolResult> GetTranscriptAsync(McpArguments args, CancellationToken cancellationToken)
    {
        var id = args.RequiredLong("episode_id");
        if (args.OptionalDouble("start_time") is { } start)
        {
            var length = args.OptionalDouble("duration") ?? 300;
            if (start < 0 || double.IsNaN(start) || length is <= 0 or > 86_400 || double.IsNaN(length))
                throw new InvalidRequestException("start_time must be 0 or more and duration between 0 and 86400 seconds.");
            var (episode, section) = await core.Transcripts.SectionAsync(id, start, length, cancellationToken);
            var range =
                $"{start.ToString("0.###", CultureInfo.InvariantCulture)}s - {(start + length).ToString("0.###", CultureInfo.InvariantCulture)}s";
            return Text($"# {episode.Title} ({range})\n\n{(section.Length == 0 ? "(no speech in this stretch)" : section)}");
        }
        var format = args.OptionalString("format") switch
        {
            null or "" or "md" or "markdown" => TranscriptFormat.Md,
            "txt" or "text" => TranscriptFormat.Txt,
            var other => throw new InvalidRequestException($"Unknown format '{other}': use md or txt."),
        };
        var (content, _, _) = await core.Transcripts.GetAsync(id, format, cancellationToken);
        return Text(content);
    }

    private static string Serialize<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo) =>
        System.Text.Json.JsonSerializer.Serialize(value, typeInfo);
}
