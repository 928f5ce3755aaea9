namespace Cast2md.Whisper;

/// <summary>
/// Finds where people speak in 16 kHz mono samples (Silero VAD through Whisper.net). One detector per concurrent
/// caller; it keeps no state between calls.
/// </summary>
public interface IVoiceDetector : IDisposable
{
    /// <summary>The speech spans in <paramref name="samples"/>, in order, times relative to its first sample.</summary>
    IReadOnlyList<SpeechSpan> DetectSpeech(ReadOnlySpan<float> samples, CancellationToken cancellationToken = default);
}

/// <summary>One stretch of speech, as offsets from the start of the samples it was found in.</summary>
public readonly record struct SpeechSpan(TimeSpan Start, TimeSpan End)
{
    public TimeSpan Duration => End - Start;
}

/// <summary>How speech is told from the rest (Silero's parameters; defaults as the original's faster-whisper filter).</summary>
public sealed record VadOptions
{
    /// <summary>Probability above which a 32 ms window counts as speech.</summary>
    public float Threshold { get; init; } = 0.5f;

    /// <summary>Pauses shorter than this stay inside one span (the original: 500 ms).</summary>
    public TimeSpan MinSilence { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Shorter bursts are dropped (a click, a cough).</summary>
    public TimeSpan MinSpeech { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Added before and after each span so a word's first and last sounds are never cut. The transcriber asks the
    /// detector for bare speech (zero padding) and pads in its layout, where it also knows where the words begin.
    /// </summary>
    public TimeSpan SpeechPadding { get; init; } = TimeSpan.FromMilliseconds(400);

    public int Threads { get; init; } = WhisperRunOptions.DefaultThreads;
}
