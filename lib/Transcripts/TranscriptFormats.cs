namespace Cast2md.Transcripts;

/// <summary>Names and file extensions of <see cref="TranscriptFormat"/>.</summary>
public static class TranscriptFormats
{
    /// <summary>Every format, in declaration order.</summary>
    public static IReadOnlyList<TranscriptFormat> All { get; } = Enum.GetValues<TranscriptFormat>();

    /// <summary>Parses "md"/"markdown", "srt", "vtt"/"webvtt", "json", "txt"/"text" (case-insensitive, a leading dot allowed).</summary>
    public static bool TryParse(string value, out TranscriptFormat format)
    {
        TranscriptFormat? parsed = value?.Trim().TrimStart('.').ToLowerInvariant() switch
        {
            "md" or "markdown" => TranscriptFormat.Md,
            "srt" => TranscriptFormat.Srt,
            "vtt" or "webvtt" => TranscriptFormat.Vtt,
            "json" => TranscriptFormat.Json,
            "txt" or "text" => TranscriptFormat.Txt,
            _ => null,
        };
        format = parsed.GetValueOrDefault();
        return parsed is not null;
    }

    /// <summary>The file extension without a dot: "md", "srt", "vtt", "json", "txt".</summary>
    public static string Extension(TranscriptFormat format) =>
        format switch
        {
            TranscriptFormat.Md => "md",
            TranscriptFormat.Srt => "srt",
            TranscriptFormat.Vtt => "vtt",
            TranscriptFormat.Json => "json",
            TranscriptFormat.Txt => "txt",
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown transcript format."),
        };
}
