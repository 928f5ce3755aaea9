namespace Cast2md.Models;

public static partial class ModelCatalog
{
    /// <summary>The voice-activity model used unless <c>WHISPER_VAD_MODEL</c> names another.</summary>
    public const string DefaultVoiceActivityModel = "silero-v6.2.0";

    // Silero VAD in ggml form, as whisper.cpp's VAD reads it. Published in its own repository, not beside the Whisper
    // models; size and sha256 are those of that file (identical to whisper.cpp v1.9.1's models/for-tests-silero-v6.2.0-ggml.bin).
    private static readonly ModelInfo[] VoiceActivityEntries =
    [
        new("silero-v6.2.0", "ggml-silero-v6.2.0.bin", 885_098, "2aa269b785eeb53a82983a20501ddf7c1d9c48e33ab63a41391ac6c9f7fb6987", null)
        {
            IsVoiceActivityModel = true,
        },
    ];

    /// <summary>The voice-activity models: downloadable like the Whisper models, never accepted as one.</summary>
    public static IReadOnlyList<ModelInfo> VoiceActivityModels { get; } = Array.AsReadOnly(VoiceActivityEntries);

    /// <summary>Where the voice-activity models are published (used only while the model base URL is the default).</summary>
    internal static Uri VoiceActivityBaseUrl { get; } = new("https://huggingface.co/ggml-org/whisper-vad/resolve/main");

    /// <summary>The voice-activity model named <paramref name="nameOrFileName"/> ("silero-v6.2.0", "ggml-silero-v6.2.0.bin"), or null.</summary>
    public static ModelInfo? FindVoiceActivityModel(string nameOrFileName)
    {
        var key = nameOrFileName.Trim();
        if (key.StartsWith("ggml-", StringComparison.OrdinalIgnoreCase))
            key = key[5..];
        if (ModelPaths.HasBinExtension(key))
            key = key[..^4];
        return Array.Find(VoiceActivityEntries, e => string.Equals(e.Name, key, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>One sentence listing what <c>WHISPER_VAD_MODEL</c>/<c>--vad-model</c> accept.</summary>
    public static string VoiceActivityNamesHint() =>
        $"Voice-activity models: {string.Join(", ", VoiceActivityEntries.Select(e => e.Name))}; or a path to a Silero ggml .bin file.";

    /// <summary>The refusal of a voice-activity model where a Whisper model is expected.</summary>
    internal static ModelException NotAWhisperModel(string name) =>
        new($"'{name.Trim()}' is the voice-activity model, not a Whisper model: it belongs in WHISPER_VAD_MODEL (--vad-model). {ValidNamesHint()}");
}
