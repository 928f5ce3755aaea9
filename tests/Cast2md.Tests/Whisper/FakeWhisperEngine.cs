using Cast2md.Whisper;

namespace Cast2md.Tests.Whisper;

/// <summary>
/// A speech engine that fails, reports progress and stops on demand, and records what it was asked: the one fake of
/// the engine seam (the real engine is Whisper.net; this one makes its error paths reachable).
/// </summary>
internal sealed class FakeWhisperEngine : IWhisperEngine
{
    public List<(string Path, WhisperModelOptions Options)> Loads { get; } = [];
    public Exception? LoadFailure { get; set; }
    public FakeWhisperContext Context { get; } = new();

    public IWhisperContext Load(string fullPath, WhisperModelOptions options)
    {
        Loads.Add((fullPath, options));
        if (LoadFailure is { } failure)
            throw failure;
        return Context;
    }

    /// <summary>A file that starts like a ggml model: the magic, then the vocabulary size (51865 is multilingual).</summary>
    public static string WriteModelFile(string path, bool multilingual)
    {
        using var file = File.Create(path);
        file.Write(BitConverter.GetBytes(0x67676d6c));
        file.Write(BitConverter.GetBytes(multilingual ? 51865 : 51864));
        return path;
    }
}

internal sealed class FakeWhisperContext : IWhisperContext
{
    private static readonly Dictionary<string, string> Languages = new(StringComparer.OrdinalIgnoreCase)
    {
        ["en"] = "en",
        ["english"] = "en",
        ["de"] = "de",
        ["german"] = "de",
        ["fr"] = "fr",
    };

    public (string Language, float Probability) Detected { get; set; } = ("de", 0.75f);
    public int DetectCalls { get; private set; }
    public List<(string Language, WhisperRunOptions Options, int Samples)> Calls { get; } = [];
    public IReadOnlyList<WhisperSegment> Segments { get; set; } = [new(0, 1500, " Hello"), new(1500, 3200, " world.")];
    public int[] ProgressToReport { get; set; } = [0, 50];
    public Exception? Failure { get; set; }
    public bool SawStopRequest { get; private set; }
    public int Disposals { get; private set; }

    public string? LanguageCode(string language) => Languages.GetValueOrDefault(language);

    public (string Language, float Probability) DetectLanguage(ReadOnlySpan<float> samples, int threads)
    {
        DetectCalls++;
        return Detected;
    }

    public IReadOnlyList<WhisperSegment> Transcribe(
        ReadOnlyMemory<float> samples,
        string language,
        WhisperRunOptions options,
        Action<int> progress,
        CancellationToken cancellationToken
    )
    {
        ObjectDisposedException.ThrowIf(Disposals > 0, this);
        Calls.Add((language, options, samples.Length));
        foreach (var percent in ProgressToReport)
        {
            progress(percent);
            if (cancellationToken.IsCancellationRequested)
            {
                // As whisper.cpp does: the abort callback is polled, the run stops, the binding reports cancellation.
                SawStopRequest = true;
                throw new OperationCanceledException(cancellationToken);
            }
        }
        if (Failure is { } failure)
            throw failure;
        return Segments;
    }

    public void Dispose() => Disposals++;
}
