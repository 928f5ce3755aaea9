namespace Cast2md.Feeds;

/// <summary>The namespaces a podcast feed mixes, matched leniently where publishers spell them differently.</summary>
internal static class FeedNamespaces
{
    public const string Atom = "http://www.w3.org/2005/Atom";
    public const string Atom03 = "http://purl.org/atom/ns#";
    public const string Rss10 = "http://purl.org/rss/1.0/";
    public const string Rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    public const string Itunes = "http://www.itunes.com/dtds/podcast-1.0.dtd";
    public const string Content = "http://purl.org/rss/1.0/modules/content/";
    public const string DublinCore = "http://purl.org/dc/elements/1.1/";

    public const string Rss090 = "http://my.netscape.com/rdf/simple/0.9/";

    /// <summary>
    /// Elements of RSS itself: no namespace, RSS 1.0's, RSS 0.90's, or the default namespace Userland's tools put on
    /// RSS 2.0 (http://backend.userland.com/rss2, and its "rss" twin), which means nothing more than RSS.
    /// </summary>
    public static bool IsRss(string ns) =>
        ns.Length == 0 || ns == Rss10 || ns == Rss090 || ns.StartsWith("http://backend.userland.com/rss", StringComparison.OrdinalIgnoreCase);

    public static bool IsAtom(string ns) => ns == Atom || ns == Atom03;

    // Case differs between publishers ("http://www.itunes.com/DTDs/Podcast-1.0.dtd").
    public static bool IsItunes(string ns) => string.Equals(ns, Itunes, StringComparison.OrdinalIgnoreCase);

    // https://podcastindex.org/namespace/1.0, its http: twin, and the GitHub docs URL some feeds declare.
    public static bool IsPodcast(string ns) =>
        ns.Contains("podcastindex.org/namespace", StringComparison.OrdinalIgnoreCase)
        || ns.Contains("podcastindex-org/podcast-namespace", StringComparison.OrdinalIgnoreCase);

    // http://search.yahoo.com/mrss/ with or without the slash.
    public static bool IsMedia(string ns) => ns.Contains("search.yahoo.com/mrss", StringComparison.OrdinalIgnoreCase);
}
