namespace Cast2md.Transcripts;

/// <summary>
/// A finished transcript as the engine produced it. Every output format (Markdown, SRT, VTT, JSON, TXT)
/// is written from this, never re-parsed from Markdown.
/// </summary>
public sealed record Transcript(IReadOnlyList<TranscriptSegment> Segments)
{
    /// <summary>Episode or file title; the Markdown heading is omitted when null.</summary>
    public string? Title { get; init; }

    /// <summary>ISO 639-1 code of the spoken language ("en"), or null when unknown.</summary>
    public string? Language { get; init; }

    /// <summary>Probability of <see cref="Language"/> in 0..1, or null when unknown.</summary>
    public double? LanguageProbability { get; init; }

    /// <summary>Model that produced the transcript (file name or catalogue name).</summary>
    public string? Model { get; init; }

    /// <summary>Duration of the audio in milliseconds, when known.</summary>
    public long? DurationMs { get; init; }

    /// <summary>A remark shown in the transcript, for example that no speech was found.</summary>
    public string? Note { get; init; }

    /// <summary>
    /// Where the text came from: null or "whisper" for our own transcription, "podcast2.0:vtt", "podcast2.0:srt",
    /// "podcast2.0:json", "podcast2.0:text" or "podcast2.0:html" for a transcript downloaded from the publisher.
    /// </summary>
    public string? Source { get; init; }

    /// <summary>False when the segments are paragraphs without times (plain-text and HTML publisher transcripts).</summary>
    public bool HasTimestamps { get; init; } = true;

    /// <summary>True when <see cref="Source"/> names a publisher transcript ("podcast2.0:…").</summary>
    public bool IsFromPublisher => Source?.StartsWith("podcast2.0", StringComparison.OrdinalIgnoreCase) == true;
}
