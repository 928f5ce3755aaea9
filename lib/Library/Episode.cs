namespace Cast2md.Library;

/// <summary>An episode of a feed and where it is in the workflow. Paths are relative to the data folder.</summary>
public sealed record Episode(long Id, long FeedId, string Guid, string Title, EpisodeStatus Status)
{
    public string? Description { get; init; }
    public string? Link { get; init; }
    public string? Author { get; init; }
    public string? AudioUrl { get; init; }
    public string? AudioType { get; init; }
    public long? AudioLength { get; init; }
    public double? DurationSeconds { get; init; }
    public DateTimeOffset? PublishedAt { get; init; }
    public string? AudioPath { get; init; }
    public string? TranscriptPath { get; init; }
    public string? TranscriptUrl { get; init; }
    public string? TranscriptType { get; init; }
    public string? TranscriptLanguage { get; init; }
    public string? ChaptersUrl { get; init; }
    public string? TranscriptSource { get; init; }
    public string? TranscriptModel { get; init; }
    public string? ErrorMessage { get; init; }
    public bool PermanentFailure { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>What a feed item says about an episode; stored on discovery and refreshed on every poll.</summary>
public sealed record EpisodeMetadata(string Guid, string Title)
{
    public string? Description { get; init; }
    public string? Link { get; init; }
    public string? Author { get; init; }
    public string? AudioUrl { get; init; }
    public string? AudioType { get; init; }
    public long? AudioLength { get; init; }
    public double? DurationSeconds { get; init; }
    public DateTimeOffset? PublishedAt { get; init; }
    public string? TranscriptUrl { get; init; }
    public string? TranscriptType { get; init; }
    public string? TranscriptLanguage { get; init; }
    public string? ChaptersUrl { get; init; }
}
