namespace Cast2md.Feeds;

/// <summary>One feed entry with audio.</summary>
/// <param name="Guid">guid / Atom id, else the enclosure URL, else the link; unique within its feed.</param>
/// <param name="Title">Whitespace-normalised title without control characters; "Untitled episode (yyyy-MM-dd)" when missing.</param>
public sealed record ParsedEpisode(string Guid, string Title)
{
    /// <summary>Description as published (often HTML), trimmed, control characters removed; never stripped of markup.</summary>
    public string? Description { get; init; }

    /// <summary>The episode web page.</summary>
    public string? Link { get; init; }

    /// <summary>itunes:author, author, dc:creator or the Atom author name.</summary>
    public string? Author { get; init; }

    /// <summary>The enclosure to download (audio preferred over video).</summary>
    public string? AudioUrl { get; init; }

    /// <summary>MIME type of <see cref="AudioUrl"/> as published, or null.</summary>
    public string? AudioType { get; init; }

    /// <summary>Enclosure length in bytes when published and positive.</summary>
    public long? AudioLength { get; init; }

    /// <summary>itunes:duration as seconds, from "HH:MM:SS", "MM:SS" or "SS".</summary>
    public double? DurationSeconds { get; init; }

    /// <summary>pubDate (RFC 822, leniently) or Atom published/updated (ISO 8601), in UTC.</summary>
    public DateTimeOffset? PublishedAt { get; init; }

    /// <summary>Every podcast:transcript of the entry, in feed order.</summary>
    public IReadOnlyList<TranscriptLink> Transcripts { get; init; } = [];

    /// <summary>The podcast:chapters URL, kept for later use.</summary>
    public string? ChaptersUrl { get; init; }

    /// <summary>itunes:image of the episode, when it has its own artwork.</summary>
    public string? ImageUrl { get; init; }

    /// <summary>
    /// The transcript to fetch: by type text/vtt &gt; application/x-subrip &gt; text/srt &gt; application/json &gt;
    /// text/plain &gt; text/html, then by URL extension in the same order, then the first one.
    /// </summary>
    public TranscriptLink? PreferredTranscript => TranscriptPreference.Choose(Transcripts);
}
