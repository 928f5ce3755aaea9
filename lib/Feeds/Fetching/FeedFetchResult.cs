namespace Cast2md.Feeds.Fetching;

/// <summary>
/// One feed fetch: <see cref="NotModified"/> (HTTP 304, <see cref="Body"/> null) or the body bytes, unparsed. <see cref="ETag"/>
/// and <see cref="LastModified"/> are the validators to store for the next conditional GET (the server's raw values, or the
/// ones sent when a 304 repeated none); <see cref="FinalUrl"/> is the URL after redirects.
/// </summary>
public sealed record FeedFetchResult(bool NotModified, byte[]? Body, string? ETag, string? LastModified, Uri FinalUrl)
{
    /// <summary>The charset of the response's Content-Type, if it named one.</summary>
    public string? Charset { get; init; }
}
