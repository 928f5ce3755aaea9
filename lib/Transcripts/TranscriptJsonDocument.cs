using System.Text.Json.Serialization;

namespace Cast2md.Transcripts;

/// <summary>
/// The JSON transcript (<see cref="TranscriptFormat.Json"/>), serialised through <see cref="Json.Cast2mdJsonContext"/>
/// with snake_case names: <c>title</c>, <c>language</c>, <c>language_probability</c>, <c>model</c>,
/// <c>duration_ms</c>, <c>note</c> (each null when unknown), then <c>source</c> and <c>has_timestamps</c>, and
/// <c>segments</c>. <c>source</c> and <c>has_timestamps</c> are left out for a Whisper transcript (source unknown,
/// timed), so that output is unchanged from before they existed; absent they read as null and true.
/// </summary>
public sealed record TranscriptJsonDocument(
    string? Title,
    string? Language,
    double? LanguageProbability,
    string? Model,
    long? DurationMs,
    string? Note,
    [property: JsonPropertyOrder(1)] IReadOnlyList<TranscriptJsonSegment> Segments
)
{
    /// <summary>See <see cref="Transcript.Source"/>; omitted when null.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Source { get; init; }

    /// <summary>See <see cref="Transcript.HasTimestamps"/>; omitted (null) for a timed transcript without a source.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? HasTimestamps { get; init; }

    /// <summary>The document for a transcript; segments with empty text are left out, text is trimmed.</summary>
    public static TranscriptJsonDocument From(Transcript transcript) =>
        new(
            transcript.Title,
            transcript.Language,
            transcript.LanguageProbability,
            transcript.Model,
            transcript.DurationMs,
            transcript.Note,
            [.. TranscriptWriter.WrittenSegments(transcript).Select(TranscriptJsonSegment.From)]
        )
        {
            Source = transcript.Source,
            HasTimestamps = transcript.Source is null && transcript.HasTimestamps ? null : transcript.HasTimestamps,
        };

    /// <summary>The transcript this document describes.</summary>
    public Transcript ToTranscript() =>
        new([.. Segments.Select(s => new TranscriptSegment(s.StartMs, s.EndMs, s.Text))])
        {
            Title = Title,
            Language = Language,
            LanguageProbability = LanguageProbability,
            Model = Model,
            DurationMs = DurationMs,
            Note = Note,
            Source = Source,
            HasTimestamps = HasTimestamps ?? true,
        };
}

/// <summary>
/// One segment: <c>start_ms</c>/<c>end_ms</c> (integers) and <c>start</c>/<c>end</c> (the same in seconds,
/// always with 3 decimals), and <c>text</c>.
/// </summary>
public sealed record TranscriptJsonSegment(long StartMs, long EndMs, decimal Start, decimal End, string Text)
{
    /// <summary>The segment with its times also in seconds.</summary>
    public static TranscriptJsonSegment From(TranscriptSegment segment) =>
        new(segment.StartMs, segment.EndMs, Seconds(segment.StartMs), Seconds(segment.EndMs), segment.Text);

    // Multiplying by 0.001m gives a decimal of scale 3, written as 1.500 rather than 1.5.
    private static decimal Seconds(long milliseconds) => milliseconds * 0.001m;
}
