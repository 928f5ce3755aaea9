namespace Cast2md.Feeds;

/// <summary>An RSS item or Atom entry as read, before validation and clean-up.</summary>
internal sealed class EntryData
{
    public string? Guid { get; set; }
    public string? Title { get; set; }
    public string? ItunesTitle { get; set; }
    public string? Link { get; set; }
    public string? Description { get; set; }
    public string? Content { get; set; }
    public string? Summary { get; set; }
    public string? Author { get; set; }
    public string? ItunesAuthor { get; set; }
    public string? Published { get; set; }
    public string? Updated { get; set; }
    public string? Duration { get; set; }
    public string? ChaptersUrl { get; set; }
    public string? ImageUrl { get; set; }
    public List<MediaCandidate> Enclosures { get; } = [];
    public List<MediaCandidate> MediaContents { get; } = [];
    public List<TranscriptLink> Transcripts { get; } = [];
}

/// <summary>An enclosure, Atom enclosure link or media:content.</summary>
internal sealed record MediaCandidate(string? Url, string? Type, string? Length, string? Medium);
