namespace Cast2md.Search;

/// <summary>What to search for: the user's query as typed, an optional feed and earliest publication date, a page.</summary>
public sealed record SearchRequest(string Query, long? FeedId = null, DateTimeOffset? Since = null, int Limit = 20, int Offset = 0);

/// <summary>
/// One hit. <c>kind</c> is <c>segment</c> (a transcript segment matched; <c>start_ms</c>, <c>end_ms</c> and <c>start</c>
/// as hh:mm:ss say where) or <c>episode</c> (the title or description matched; the times are null). The snippet marks
/// the matched words with <c>**</c>.
/// </summary>
public sealed record SearchHit(
    string Kind,
    long EpisodeId,
    string EpisodeTitle,
    long FeedId,
    string FeedTitle,
    long? StartMs,
    long? EndMs,
    string? Start,
    string Snippet,
    DateTimeOffset? PublishedAt
);

/// <summary>A page of hits, best first; <c>has_more</c> says whether the next offset gives more.</summary>
public sealed record SearchPage(string Query, int Limit, int Offset, bool HasMore, IReadOnlyList<SearchHit> Results);
