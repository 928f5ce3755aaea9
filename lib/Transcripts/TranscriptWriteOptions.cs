namespace Cast2md.Transcripts;

/// <summary>How a transcript is written.</summary>
public sealed record TranscriptWriteOptions
{
    /// <summary>
    /// Markdown only: one <c>**[MM:SS]**</c> line per segment (true) or sentence paragraphs without stamps (false).
    /// SRT, VTT and JSON always carry times; TXT never does.
    /// </summary>
    public bool IncludeTimestamps { get; init; } = true;
}
