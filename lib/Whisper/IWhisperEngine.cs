namespace Cast2md.Whisper;

/// <summary>
/// The seam between our transcription logic (<see cref="WhisperModel"/>, <see cref="WhisperSession"/>) and a speech
/// engine: what one engine must do, nothing more. The real one is <see cref="WhisperNetEngine"/>; specs put a fake
/// here to make the engine fail, stall or call back on demand.
/// </summary>
internal interface IWhisperEngine
{
    /// <summary>Loads a model file that exists and carries the ggml magic; throws <see cref="WhisperModelLoadException"/> otherwise.</summary>
    IWhisperContext Load(string fullPath, WhisperModelOptions options);
}

/// <summary>One loaded model in an engine. Thread-safe: each call works on its own decoder state.</summary>
internal interface IWhisperContext : IDisposable
{
    /// <summary>The language's code when whisper knows it (codes and full names, such as "de" or "german"); else null.</summary>
    string? LanguageCode(string language);

    /// <summary>Whisper's language detector on these samples (at most 30 s are looked at).</summary>
    (string Language, float Probability) DetectLanguage(ReadOnlySpan<float> samples, int threads);

    /// <summary>
    /// Decodes <paramref name="samples"/> in <paramref name="language"/>; segment times relative to the first sample.
    /// <paramref name="progress"/> is called from the engine's thread (0..100). Cancelling stops the engine at its next
    /// compute step and throws <see cref="OperationCanceledException"/>.
    /// </summary>
    IReadOnlyList<WhisperSegment> Transcribe(
        ReadOnlyMemory<float> samples,
        string language,
        WhisperRunOptions options,
        Action<int> progress,
        CancellationToken cancellationToken
    );
}
