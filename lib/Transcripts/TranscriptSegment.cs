namespace Cast2md.Transcripts;

/// <summary>One engine segment, in milliseconds from the start of the audio.</summary>
public sealed record TranscriptSegment(long StartMs, long EndMs, string Text);
