namespace Cast2md.Import;

/// <summary>A feed as the original cast2md stored it (its <c>feed</c> table).</summary>
public sealed record OriginalFeed(long Id, string Url, string Title)
{
    public string? Description { get; init; }
    public string? ImageUrl { get; init; }
    public string? Author { get; init; }
    public string? Link { get; init; }
    public IReadOnlyList<string> Categories { get; init; } = [];
    public string? CustomTitle { get; init; }
}

/// <summary>
/// An episode as the original stored it (its <c>episode</c> table). Times are the original's naive timestamps read
/// as UTC: feed dates are parsed to UTC there, and its file names carry the date of that same value.
/// </summary>
public sealed record OriginalEpisode(long Id, long FeedId, string Guid, string Title, string Status)
{
    public string? Description { get; init; }
    public string? AudioUrl { get; init; }
    public double? DurationSeconds { get; init; }
    public DateTime? PublishedAt { get; init; }
    public string? AudioPath { get; init; }
    public string? TranscriptPath { get; init; }
    public string? TranscriptUrl { get; init; }
    public string? TranscriptType { get; init; }
    public string? TranscriptModel { get; init; }
    public string? TranscriptSource { get; init; }
    public string? Link { get; init; }
    public string? Author { get; init; }
    public string? ErrorMessage { get; init; }
    public bool PermanentFailure { get; init; }
}

/// <summary>What is read from the original's database: feeds, episodes and its settings overrides (key, value).</summary>
public sealed record OriginalInstallation(
    IReadOnlyList<OriginalFeed> Feeds,
    IReadOnlyList<OriginalEpisode> Episodes,
    IReadOnlyList<KeyValuePair<string, string>> Settings
);
