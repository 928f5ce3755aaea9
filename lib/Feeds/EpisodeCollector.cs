namespace Cast2md.Feeds;

/// <summary>Turns raw entries into episodes: audio required, GUID fallback, duplicates within the feed dropped (first kept).</summary>
internal sealed class EpisodeCollector(Uri? baseUri)
{
    private static readonly string[] AudioExtensions = [".mp3", ".m4a", ".m4b", ".aac", ".wav", ".ogg", ".oga", ".opus", ".flac"];
    private static readonly string[] VideoExtensions = [".mp4", ".m4v", ".mov", ".webm", ".mkv"];

    private readonly List<ParsedEpisode> _episodes = [];
    private readonly HashSet<string> _guids = new(StringComparer.Ordinal);

    public IReadOnlyList<ParsedEpisode> Episodes => _episodes;
    public int SkippedWithoutAudio { get; private set; }
    public int SkippedDuplicates { get; private set; }

    /// <summary>Every entry seen, kept or not.</summary>
    public int Total => _episodes.Count + SkippedWithoutAudio + SkippedDuplicates;

    public void Add(EntryData entry)
    {
        var media = ChooseMedia(entry);
        if (media is null)
        {
            SkippedWithoutAudio++;
            return;
        }

        var link = FeedText.Url(entry.Link, baseUri);
        var guid = FeedText.Line(entry.Guid) ?? media.Url ?? link;
        if (guid is null || !_guids.Add(guid))
        {
            SkippedDuplicates++;
            return;
        }

        var published = FeedDates.Parse(entry.Published) ?? FeedDates.Parse(entry.Updated);
        var title = FeedText.Line(entry.Title)
            ?? FeedText.Line(entry.ItunesTitle)
            ?? (published is { } date ? $"Untitled episode ({date:yyyy-MM-dd})" : "Untitled episode");

        _episodes.Add(
            new ParsedEpisode(guid, title)
            {
                Description = FeedText.Block(entry.Description) ?? FeedText.Block(entry.Content) ?? FeedText.Block(entry.Summary),
                Link = link,
                Author = FeedText.Line(entry.ItunesAuthor) ?? FeedText.Line(entry.Author),
                AudioUrl = media.Url,
                AudioType = FeedText.Line(media.Type),
                AudioLength = FeedText.Length(media.Length),
                DurationSeconds = FeedText.Duration(entry.Duration),
                PublishedAt = published,
                Transcripts = entry
                    .Transcripts.Select(t =>
                        FeedText.Url(t.Url, baseUri) is { } url
                            ? new TranscriptLink(url, FeedText.Line(t.Type), FeedText.Line(t.Language), FeedText.Line(t.Rel))
                            : null
                    )
                    .OfType<TranscriptLink>()
                    .ToList(),
                ChaptersUrl = FeedText.Url(entry.ChaptersUrl, baseUri),
                ImageUrl = FeedText.Url(entry.ImageUrl, baseUri),
            }
        );
    }

    // Audio first (enclosures before media:content), else video, whose sound ffmpeg can still decode.
    private MediaCandidate? ChooseMedia(EntryData entry)
    {
        MediaCandidate? video = null;
        foreach (var candidate in entry.Enclosures.Concat(entry.MediaContents))
        {
            var url = FeedText.Url(candidate.Url, baseUri);
            if (url is null)
                continue;
            var resolved = candidate with { Url = url };
            if (IsAudio(resolved))
                return resolved;
            if (video is null && IsVideo(resolved))
                video = resolved;
        }

        return video;
    }

    private static bool IsAudio(MediaCandidate c) =>
        c.Type?.Contains("audio", StringComparison.OrdinalIgnoreCase) == true
        || string.Equals(c.Medium, "audio", StringComparison.OrdinalIgnoreCase)
        || HasExtension(c.Url!, AudioExtensions);

    private static bool IsVideo(MediaCandidate c) =>
        c.Type?.Trim().StartsWith("video/", StringComparison.OrdinalIgnoreCase) == true
        || string.Equals(c.Medium, "video", StringComparison.OrdinalIgnoreCase)
        || HasExtension(c.Url!, VideoExtensions);

    private static bool HasExtension(string url, string[] extensions)
    {
        var path = url.Split('?', '#')[0];
        return extensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase));
    }
}
