using System.Text.Json;
using Cast2md.Api;
using Cast2md.Errors;
using Cast2md.Json;
using Cast2md.Services;
using Cast2md.Transcripts;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Cast2md.Cli.Mcp;

/// <summary>
/// Read-only resources: cast2md://feeds, cast2md://feeds/{id}, cast2md://episodes/{id} and cast2md://transcripts/{id}
/// (the original's cast2md://episodes/{id}/transcript is read too). Each is the same JSON or Markdown the REST API gives.
/// </summary>
internal sealed class McpResources(Cast2mdCore core)
{
    private const string Scheme = "cast2md://";
    private const string JsonType = "application/json";

    public ListResourcesResult List() =>
        new()
        {
            Resources =
            [
                new Resource
                {
                    Uri = Scheme + "feeds",
                    Name = "feeds",
                    Description = "Every subscribed feed",
                    MimeType = JsonType,
                },
                .. core
                    .Feeds.List()
                    .Select(f => new Resource
                    {
                        Uri = $"{Scheme}feeds/{f.Id}",
                        Name = f.DisplayTitle,
                        MimeType = JsonType,
                    }),
            ],
        };

    public static ListResourceTemplatesResult Templates() =>
        new()
        {
            ResourceTemplates =
            [
                new ResourceTemplate
                {
                    UriTemplate = Scheme + "feeds/{id}",
                    Name = "feed",
                    Description = "A feed and its newest episodes",
                    MimeType = JsonType,
                },
                new ResourceTemplate
                {
                    UriTemplate = Scheme + "episodes/{id}",
                    Name = "episode",
                    Description = "One episode",
                    MimeType = JsonType,
                },
                new ResourceTemplate
                {
                    UriTemplate = Scheme + "transcripts/{id}",
                    Name = "transcript",
                    Description = "An episode's transcript (Markdown)",
                    MimeType = "text/markdown",
                },
            ],
        };

    public async ValueTask<ReadResourceResult> ReadAsync(string? uri, CancellationToken cancellationToken)
    {
        try
        {
            var (mimeType, text) = await ContentAsync(uri ?? "", cancellationToken);
            return new ReadResourceResult
            {
                Contents =
                [
                    new TextResourceContents
                    {
                        Uri = uri ?? "",
                        MimeType = mimeType,
                        Text = text,
                    },
                ],
            };
        }
        catch (Cast2mdException ex)
        {
            // The SDK sends an McpException's message to the client as the error (others become a generic one).
            throw new McpException(ex.Message);
        }
    }

    private async Task<(string MimeType, string Text)> ContentAsync(string uri, CancellationToken cancellationToken)
    {
        var path = uri.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? uri[Scheme.Length..].TrimEnd('/') : throw Unknown(uri);
        var parts = path.Split('/');
        switch (parts)
        {
            case ["feeds"]:
                return (
                    JsonType,
                    JsonSerializer.Serialize(
                        new FeedListResponse(core.Feeds.List().Select(FeedResponse.From).ToList()),
                        Cast2mdJsonContext.Default.FeedListResponse
                    )
                );
            case ["feeds", var feedId]:
            {
                var id = Id(feedId, uri);
                var feed = core.Feeds.List().FirstOrDefault(f => f.Id == id) ?? throw new NotFoundException($"Feed {id} not found.");
                var (episodes, total) = core.Episodes.ListByFeed(id, 50);
                return (
                    JsonType,
                    JsonSerializer.Serialize(FeedResponse.From(feed), Cast2mdJsonContext.Default.FeedResponse)
                        + "\n"
                        + JsonSerializer.Serialize(
                            new EpisodeListResponse(episodes.Select(EpisodeResponse.From).ToList(), total),
                            Cast2mdJsonContext.Default.EpisodeListResponse
                        )
                );
            }
            case ["episodes", var episodeId]:
            {
                var id = Id(episodeId, uri);
                var episode = core.Episodes.Get(id) ?? throw new NotFoundException($"Episode {id} not found.");
                return (JsonType, JsonSerializer.Serialize(EpisodeResponse.From(episode), Cast2mdJsonContext.Default.EpisodeResponse));
            }
            case ["transcripts", _] or ["episodes", _, "transcript"]:
            {
                var (content, _, _) = await core.Transcripts.GetAsync(Id(parts[1], uri), TranscriptFormat.Md, cancellationToken);
                return ("text/markdown", content);
            }
            default:
                throw Unknown(uri);
        }
    }

    private static long Id(string text, string uri) => long.TryParse(text, out var id) ? id : throw Unknown(uri);

    private static InvalidRequestException Unknown(string uri) =>
        new($"Unknown resource '{uri}': use cast2md://feeds, cast2md://feeds/ID, cast2md://episodes/ID or cast2md://transcripts/ID.");
}
