using Whisper.net;

namespace Cast2md.Whisper;

/// <summary>Silero VAD (a ggml model such as <c>ggml-silero-v6.2.0.bin</c>) through Whisper.net.</summary>
public sealed class WhisperVoiceDetector : IVoiceDetector
{
    private readonly WhisperVadFactory _factory;
    private readonly WhisperVadProcessor _processor;

    private WhisperVoiceDetector(WhisperVadFactory factory, WhisperVadProcessor processor)
    {
        _factory = factory;
        _processor = processor;
    }

    /// <exception cref="WhisperModelLoadException">The file is missing or is not a ggml VAD model.</exception>
    public static WhisperVoiceDetector Load(string modelPath, VadOptions? options = null)
    {
        options ??= new VadOptions();
        var fullPath = Path.GetFullPath(modelPath);
        if (!File.Exists(fullPath))
            throw new WhisperModelLoadException(fullPath, $"Voice-activity model file not found: '{fullPath}'.");
        // Our runtime first: Whisper.net's own search must never run (see WhisperRuntime), whichever loads first.
        WhisperRuntime.EnsureLoaded();
        WhisperVadFactory factory;
        try
        {
            factory = WhisperVadFactory.FromPath(fullPath, new WhisperFactoryOptions { UseGpu = false });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new WhisperModelLoadException(
                fullPath,
                $"'{fullPath}' could not be loaded as a voice-activity model: expected a Silero ggml model such as ggml-silero-v6.2.0.bin.",
                e
            );
        }
        try
        {
            var processor = factory
                .CreateBuilder()
                .WithThreads(options.Threads)
                .WithThreshold(options.Threshold)
                .WithMinSilenceDuration(options.MinSilence)
                .WithMinSpeechDuration(options.MinSpeech)
                .WithSpeechPadding(options.SpeechPadding)
                .Build();
            return new WhisperVoiceDetector(factory, processor);
        }
        catch
        {
            factory.Dispose();
            throw;
        }
    }

    public IReadOnlyList<SpeechSpan> DetectSpeech(ReadOnlySpan<float> samples, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var spans = new List<SpeechSpan>();
        foreach (var segment in _processor.DetectSpeech(samples))
            spans.Add(new SpeechSpan(segment.Start, segment.End));
        cancellationToken.ThrowIfCancellationRequested();
        return spans;
    }

    public void Dispose()
    {
        _processor.Dispose();
        _factory.Dispose();
    }
}
