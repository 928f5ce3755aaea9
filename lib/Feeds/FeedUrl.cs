namespace Cast2md.Feeds;

/// <summary>
/// Feed addresses as stored and as compared. Stored: trimmed, https:// added when no scheme is given, scheme and host
/// in lower case, the default port and any fragment dropped. Compared: the same, plus the loopback names
/// (localhost, 127.0.0.1, ::1) taken as one host and a trailing slash ignored, so one feed cannot be subscribed
/// twice under two spellings of its address.
/// </summary>
public static class FeedUrl
{
    /// <summary>The address to store, or null when <paramref name="url"/> is not an http(s) URL.</summary>
    public static string? Normalize(string? url)
    {
        url = url?.Trim();
        if (string.IsNullOrEmpty(url))
            return null;
        if (!url.Contains("://", StringComparison.Ordinal))
            url = "https://" + url;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
            return null;
        var builder = new UriBuilder(uri) { Fragment = "" };
        if (uri.IsDefaultPort)
            builder.Port = -1;
        return builder.Uri.AbsoluteUri;
    }

    /// <summary>The comparison key of <paramref name="url"/>: equal keys mean the same feed.</summary>
    public static string Key(string url)
    {
        var normalized = Normalize(url);
        if (normalized is null || !Uri.TryCreate(normalized, UriKind.Absolute, out var uri))
            return url.Trim();
        var host = uri.IsLoopback ? "loopback" : uri.IdnHost;
        var path = uri.AbsolutePath.Length > 1 ? uri.AbsolutePath.TrimEnd('/') : "";
        var port = uri.IsDefaultPort ? "" : ":" + uri.Port;
        return $"{uri.Scheme}://{host}{port}{path}{uri.Query}";
    }
}
