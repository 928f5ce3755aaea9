namespace Cast2md.Whisper;

/// <summary>How one <c>WhisperSession.Transcribe</c> call decodes. Defaults mirror whisper-cli's.</summary>
public sealed record WhisperRunOptions
{
    /// <summary>"auto" (detect on the first 30 s) or a language code whisper knows, such as "en" or "de".</summary>
    public string Language { get; init; } = "auto";

    /// <summary>CPU threads for whisper.cpp; must be at least 1.</summary>
    public int Threads { get; init; } = DefaultThreads;

    /// <summary>Beam width; 1 or less decodes greedily. 5 is whisper-cli's default.</summary>
    public int BeamSize { get; init; } = 5;

    /// <summary>Translate into English instead of transcribing.</summary>
    public bool Translate { get; init; }

    /// <summary>Text that conditions the decoder (names, spelling); none by default.</summary>
    public string? InitialPrompt { get; init; }

    /// <summary><c>min(4, processor count)</c>, as whisper-cli.</summary>
    public static int DefaultThreads { get; } = Math.Min(4, Environment.ProcessorCount);
}
