namespace Cast2md.Feeds;

/// <summary>Limits and context for <see cref="FeedParser"/>.</summary>
public sealed record FeedParserOptions
{
    /// <summary>Largest feed accepted, in bytes (default 32 MiB); a longer stream is refused while it is read.</summary>
    public long MaxBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>The URL the feed was fetched from; relative URLs in the feed are resolved against it.</summary>
    public Uri? BaseUri { get; init; }

    /// <summary>The charset of the HTTP Content-Type, used when neither a byte order mark nor the XML declaration names one.</summary>
    public string? Charset { get; init; }

    /// <summary>How long one parse may take before it is stopped (default 30 s); a pathological feed fails alone.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}
