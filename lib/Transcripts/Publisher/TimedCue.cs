namespace Cast2md.Transcripts.Publisher;

/// <summary>A cue as published, before word-level cues are merged into phrases.</summary>
internal sealed record TimedCue(long StartMs, long EndMs, string Text, string? Speaker = null);
