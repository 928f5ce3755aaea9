namespace Cast2md.Feeds;

/// <summary>Limits and context for <see cref="FeedParser"/>.</summary>
public sealed record FeedParserOptions
{
    /// <summary>Largest feed accepted, in bytes (default 32 MiB); a longer stream is refused while it is read.</summary>
    public long MaxBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>The URL the feed was fetched from; relative URLs in the feed are resolved against it.</summary>
    public Uri? BaseUri { get; init; }
}
