using Whisper.net;

namespace Cast2md.Whisper;

/// <summary>The engine on Whisper.net 1.9.1, over the native runtime <see cref="WhisperRuntime"/> chose.</summary>
internal sealed class WhisperNetEngine : IWhisperEngine
{
    public static WhisperNetEngine Instance { get; } = new();

    public IWhisperContext Load(string fullPath, WhisperModelOptions options)
    {
        WhisperRuntime.EnsureLoaded(preferCpu: !options.UseGpu);
        try
        {
            var factory = WhisperFactory.FromPath(
                fullPath,
                new WhisperFactoryOptions
                {
                    UseGpu = options.UseGpu,
                    GpuDevice = options.GpuDevice,
                    UseFlashAttention = options.FlashAttention,
                }
            );
            try
            {
                // FromPath only remembers the file; whisper.cpp reads it when the first processor is made. Make one
                // now, so a truncated or foreign file fails here, named, and not at the first chunk.
                using var probe = factory.CreateBuilder().Build();
            }
            catch
            {
                factory.Dispose();
                throw;
            }
            return new WhisperNetContext(factory);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or WhisperException))
        {
            throw new WhisperModelLoadException(fullPath, WhisperModel.NotAModel(fullPath), e);
        }
    }
}

/// <summary>A model loaded by Whisper.net: one factory, one processor per call (a processor holds one call's options).</summary>
internal sealed class WhisperNetContext(WhisperFactory factory) : IWhisperContext
{
    /// <summary>Whisper's language detector only looks at the first 30 s window.</summary>
    private const int DetectionSamples = 30 * 16000;

    public string? LanguageCode(string language) => WhisperRuntime.LanguageCode(language);

    public (string Language, float Probability) DetectLanguage(ReadOnlySpan<float> samples, int threads)
    {
        using var processor = factory.CreateBuilder().WithThreads(threads).WithLanguageDetection().Build();
        var (language, probability) = processor.DetectLanguageWithProbability(samples[..Math.Min(samples.Length, DetectionSamples)]);
        return string.IsNullOrEmpty(language)
            ? throw new WhisperException("whisper's language detector returned no language for this audio.")
            : (language, probability);
    }

    public IReadOnlyList<WhisperSegment> Transcribe(
        ReadOnlyMemory<float> samples,
        string language,
        WhisperRunOptions options,
        Action<int> progress,
        CancellationToken cancellationToken
    )
    {
        // The decoding parameters of whisper-cli 1.9.1 with its default flags, set explicitly so a change of
        // Whisper.net's defaults cannot change ours: beam 5 (greedy with best-of 5 when the beam is 1), temperature 0
        // with fallback steps of 0.2, entropy 2.4, log-probability −1, no-speech 0.6.
        var builder = factory
            .CreateBuilder()
            .WithThreads(options.Threads)
            .WithLanguage(language)
            .WithTemperature(0f)
            .WithTemperatureInc(0.2f)
            .WithEntropyThreshold(2.4f)
            .WithLogProbThreshold(-1f)
            .WithNoSpeechThreshold(0.6f)
            .WithProgressHandler(progress.Invoke);
        if (options.Translate)
            builder = builder.WithTranslate();
        if (!string.IsNullOrEmpty(options.InitialPrompt))
            builder = builder.WithPrompt(options.InitialPrompt);
        builder =
            options.BeamSize > 1
                ? builder.WithBeamSearchSamplingStrategy(beam => beam.WithBeamSize(options.BeamSize))
                : builder.WithGreedySamplingStrategy(greedy => greedy.WithBestOf(5));

        // ProcessAsync is the entry point that passes cancellation to whisper.cpp's abort callback; this thread is a
        // worker thread already, so it waits here.
        return Collect(builder.Build(), samples, cancellationToken).GetAwaiter().GetResult();
    }

    private static async Task<IReadOnlyList<WhisperSegment>> Collect(
        WhisperProcessor processor,
        ReadOnlyMemory<float> samples,
        CancellationToken cancellationToken
    )
    {
        // On cancellation ProcessAsync returns at once while whisper.cpp is still on its way to the abort check;
        // DisposeAsync waits for the native run to end, so no callback and no state outlives this call.
        await using var owned = processor.ConfigureAwait(false);
        var segments = new List<WhisperSegment>();
        try
        {
            await foreach (var segment in processor.ProcessAsync(samples, cancellationToken).ConfigureAwait(false))
                segments.Add(new WhisperSegment((long)segment.Start.TotalMilliseconds, (long)segment.End.TotalMilliseconds, segment.Text ?? ""));
            return segments;
        }
        catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException) && !cancellationToken.IsCancellationRequested)
        {
            throw new WhisperException($"whisper.cpp failed: {e.Message}", null, e);
        }
    }

    public void Dispose() => factory.Dispose();
}
