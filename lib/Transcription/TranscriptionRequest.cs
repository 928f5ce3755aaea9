using Cast2md.Media;
using Cast2md.Whisper;

namespace Cast2md.Transcription;

/// <summary>Everything one transcription of one audio file needs.</summary>
public sealed record TranscriptionRequest(string AudioPath, string ModelPath)
{
    /// <summary>Heading of the Markdown transcript; null omits it.</summary>
    public string? Title { get; init; }

    public WhisperRunOptions Whisper { get; init; } = new();

    public WhisperModelOptions Model { get; init; } = new();

    public ChunkingOptions Chunking { get; init; } = new();

    /// <summary>How many whisper states decode at once (the threads of <see cref="Whisper"/> shared among them); one by default.</summary>
    public DecodingParallelism Parallel { get; init; } = DecodingParallelism.Fixed(1);

    public FfmpegOptions Ffmpeg { get; init; } = FfmpegOptions.Read(Settings.LocalSettings.Process.Get);

    /// <summary>The voice-activity model (a Silero ggml file); null transcribes every chunk that is not silent.</summary>
    public string? VadModelPath { get; init; }

    /// <summary>How speech is told from the rest, when <see cref="VadModelPath"/> is set.</summary>
    public VadOptions Vad { get; init; } = new();
}
