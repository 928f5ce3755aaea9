namespace Cast2md.Library;

/// <summary>A subscribed podcast feed.</summary>
public sealed record Feed(long Id, string Url, string Title)
{
    public string? Description { get; init; }
    public string? ImageUrl { get; init; }
    public string? Author { get; init; }
    public string? Link { get; init; }
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>The user's name for the feed; wins over the publisher's title everywhere, folders included.</summary>
    public string? CustomTitle { get; init; }

    public string DisplayTitle => string.IsNullOrWhiteSpace(CustomTitle) ? Title : CustomTitle;
    public string? ETag { get; init; }
    public string? LastModified { get; init; }
    public DateTimeOffset? LastPolledAt { get; init; }
    public string? LastError { get; init; }
    public int EpisodeCount { get; init; }
    public IReadOnlyDictionary<string, int> StatusCounts { get; init; } = new Dictionary<string, int>();
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>What a feed says about itself, as stored.</summary>
public sealed record FeedMetadata(string Title)
{
    public string? Description { get; init; }
    public string? ImageUrl { get; init; }
    public string? Author { get; init; }
    public string? Link { get; init; }
    public IReadOnlyList<string> Categories { get; init; } = [];
}
