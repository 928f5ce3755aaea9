namespace Cast2md.Feeds;

/// <summary>Channel-level values as they are met; the first of each kind wins.</summary>
internal sealed class ChannelData
{
    private readonly List<string> _categories = [];

    public string? Title { get; set; }
    public string? Description { get; set; }
    public string? Summary { get; set; }
    public string? Link { get; set; }
    public string? Language { get; set; }
    public string? ItunesAuthor { get; set; }
    public string? OtherAuthor { get; set; }
    public string? ItunesImage { get; set; }
    public string? OtherImage { get; set; }
    public string? NextPage { get; set; }

    /// <summary>The document element was an RSS or Atom root, so what follows is read as a feed.</summary>
    public bool Recognised { get; set; }

    public void AddCategory(string? value)
    {
        if (FeedText.Line(value) is { } category && !_categories.Contains(category, StringComparer.OrdinalIgnoreCase))
            _categories.Add(category);
    }

    public ParsedFeed ToFeed(EpisodeCollector episodes, Uri? baseUri, IReadOnlyList<string> warnings) =>
        new(Title ?? "Untitled feed", episodes.Episodes)
        {
            Description = Description ?? Summary,
            Author = ItunesAuthor ?? OtherAuthor,
            ImageUrl = FeedText.Url(ItunesImage, baseUri) ?? FeedText.Url(OtherImage, baseUri),
            Link = FeedText.Url(Link, baseUri),
            Categories = _categories,
            Language = Language,
            SkippedWithoutAudio = episodes.SkippedWithoutAudio,
            SkippedDuplicates = episodes.SkippedDuplicates,
            NextPageUrl = FeedText.Url(NextPage, baseUri),
            Warnings = warnings,
        };
}
