namespace Cast2md.Feeds;

/// <summary>A podcast feed (RSS 2.0, RSS 1.0 or Atom) reduced to what cast2md stores.</summary>
/// <param name="Title">The channel title, whitespace-normalised and free of control characters ("Untitled feed" when missing).</param>
/// <param name="Episodes">Entries that carry audio (or, failing that, video), in feed order, without duplicate GUIDs.</param>
public sealed record ParsedFeed(string Title, IReadOnlyList<ParsedEpisode> Episodes)
{
    /// <summary>Channel description (raw, possibly HTML, trimmed), or null.</summary>
    public string? Description { get; init; }

    /// <summary>Absolute URL of the artwork (itunes:image, image/url, Atom logo/icon), or null.</summary>
    public string? ImageUrl { get; init; }

    /// <summary>itunes:author, else managingEditor / dc:creator / Atom author name.</summary>
    public string? Author { get; init; }

    /// <summary>The web site of the podcast.</summary>
    public string? Link { get; init; }

    /// <summary>itunes:category texts (nested ones included) and plain categories, without duplicates.</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>The feed language (RSS language, Atom xml:lang), or null.</summary>
    public string? Language { get; init; }

    /// <summary>Entries dropped because they had no audio or video enclosure.</summary>
    public int SkippedWithoutAudio { get; init; }

    /// <summary>Entries dropped because an earlier entry had the same GUID.</summary>
    public int SkippedDuplicates { get; init; }

    /// <summary>Every item or entry the feed has, with or without audio.</summary>
    public int ItemCount => Episodes.Count + SkippedWithoutAudio + SkippedDuplicates;

    /// <summary>The absolute URL of the next page of a paged feed (rel="next"), or null.</summary>
    public string? NextPageUrl { get; init; }

    /// <summary>What was worked around while reading (a break in the XML, bytes that were not valid text…), in sentences.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
