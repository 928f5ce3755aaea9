namespace Cast2md.Transcripts.Publisher;

/// <summary>The transcript formats a Podcasting 2.0 feed may link to.</summary>
public enum PublisherTranscriptFormat
{
    Vtt,
    Srt,
    Json,
    Text,
    Html,
}
