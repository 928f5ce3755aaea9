using Cast2md.Transcripts;

namespace Cast2md.Tests.Transcripts;

/// <summary>The fixed transcripts behind the snapshot files in Expected/.</summary>
internal static class SampleTranscripts
{
    /// <summary>Title, language with probability, an empty segment, Unicode and markup, and a segment past one hour.</summary>
    public static Transcript Full { get; } =
        new([
            new TranscriptSegment(0, 4_230, "  And so, my fellow Americans,"),
            new TranscriptSegment(4_230, 7_999, "ask not what your country can do for you."),
            new TranscriptSegment(7_999, 9_000, "   "),
            new TranscriptSegment(9_000, 12_345, "Ask what you can do for your country!"),
            new TranscriptSegment(61_500, 65_020, "Grüße aus Köln, 東京 and São Paulo 🎙️ — <b>bold</b> & \"quoted\""),
            new TranscriptSegment(599_999, 600_000, "Is this the ten minute mark?"),
            new TranscriptSegment(3_599_999, 3_600_001, "Just before the hour"),
            new TranscriptSegment(3_723_456, 3_725_000, "From one hour on\nthe stamp is HH:MM:SS."),
        ])
        {
            Title = "Episode 42: Ask Not",
            Language = "en",
            LanguageProbability = 0.9874,
            Model = "ggml-tiny-q8_0",
            DurationMs = 3_725_000,
        };

    /// <summary>No title, no language.</summary>
    public static Transcript NoLanguage { get; } =
        new([
            new TranscriptSegment(0, 2_500, "Hallo und willkommen."),
            new TranscriptSegment(2_500, 5_000, "Heute geht es um Podcasts"),
            new TranscriptSegment(5_000, 7_250, "und um Whisper."),
        ]);

    /// <summary>A language without a probability.</summary>
    public static Transcript LanguageWithoutProbability { get; } = NoLanguage with { Title = "Folge 7", Language = "de" };

    /// <summary>Silent audio: no segments, a note instead.</summary>
    public static Transcript Note { get; } =
        new([])
        {
            Title = "Silence",
            Language = "en",
            Model = "ggml-tiny-q8_0",
            DurationMs = 30_000,
            Note = "No speech detected",
        };

    public static Transcript ByName(string name) =>
        name switch
        {
            "full" => Full,
            "no-language" => NoLanguage,
            "language-without-probability" => LanguageWithoutProbability,
            "note" => Note,
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
        };
}
