using System.Text.Json.Serialization;
using Cast2md.Library;

namespace Cast2md.Api;

// JSON shapes of /api/feeds, as the original serves them, snake_case.

/// <summary>
/// A feed. Beyond the original: <c>last_error</c> (why the latest poll failed), and <c>status_counts</c> is also filled
/// for a single feed (the original left it empty there).
/// </summary>
public sealed record FeedResponse(
    long Id,
    string Url,
    string Title,
    string? Description,
    string? ImageUrl,
    string? CustomTitle,
    string DisplayTitle,
    string? Author,
    string? Link,
    IReadOnlyList<string> Categories,
    DateTime? LastPolled,
    string? LastError,
    int EpisodeCount,
    IReadOnlyDictionary<string, int> StatusCounts,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Warnings = null
)
{
    public static FeedResponse From(Feed feed) =>
        new(
            feed.Id,
            feed.Url,
            feed.Title,
            feed.Description,
            feed.ImageUrl,
            feed.CustomTitle,
            feed.DisplayTitle,
            feed.Author,
            feed.Link,
            feed.Categories,
            ApiTime.Utc(feed.LastPolledAt),
            feed.LastError,
            feed.EpisodeCount,
            feed.StatusCounts,
            ApiTime.Utc(feed.CreatedAt),
            ApiTime.Utc(feed.UpdatedAt)
        );
}

public sealed record FeedListResponse(IReadOnlyList<FeedResponse> Feeds);

// Request bodies are read with the server's HTTP JSON options, whose naming policy is not this context's:
// multi-word names are spelled out so they bind as snake_case whatever those options say.

/// <summary><c>POST /api/feeds</c>.</summary>
public sealed record FeedCreateRequest(string? Url);

/// <summary><c>PATCH /api/feeds/{id}</c>: null or empty clears the custom title.</summary>
public sealed record FeedUpdateRequest([property: JsonPropertyName("custom_title")] string? CustomTitle);

public sealed record FeedRefreshResponse(int NewEpisodes, int QueuedEpisodes, string Message);

/// <summary>One feed of <c>POST /api/feeds/import</c>: status is added, exists or failed.</summary>
public sealed record OpmlImportResult(string Url, string? Title, string Status, long? FeedId, string? Message);

/// <summary><c>POST /api/feeds/import</c> and <c>cast2md feed import --json</c>.</summary>
public sealed record OpmlImportResponse(IReadOnlyList<OpmlImportResult> Results, int Added, int Existing, int Failed);
