namespace Cast2md.Transcripts;

/// <summary>Output formats of a transcript; the lower-case name is also the file extension.</summary>
public enum TranscriptFormat
{
    Md,
    Srt,
    Vtt,
    Json,
    Txt,
}
