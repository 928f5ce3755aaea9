namespace Cast2md.Models;

/// <summary>
/// One file of the model catalogue (a Whisper model, or a voice-activity model when <see cref="IsVoiceActivityModel"/>): <see cref="Name"/> is whisper.cpp's name ("tiny-q8_0"),
/// <see cref="FileName"/> the file it is served and stored as ("ggml-tiny-q8_0.bin").
/// <see cref="SizeBytes"/>, <see cref="Sha256"/> and <see cref="Sha1"/> are null where no published value is known.
/// </summary>
public sealed record ModelInfo(string Name, string FileName, long? SizeBytes, string? Sha256, string? Sha1)
{
    /// <summary>The model without its quantisation suffix ("tiny" for "tiny-q8_0").</summary>
    public string BaseName => Quantization is { } q ? Name[..^(q.Length + 1)] : Name;

    /// <summary>The quantisation suffix ("q8_0", "q5_1", "q5_0"), or null for the plain f16 file.</summary>
    public string? Quantization =>
        Name.EndsWith("-q8_0", StringComparison.Ordinal) ? "q8_0"
        : Name.EndsWith("-q5_1", StringComparison.Ordinal) ? "q5_1"
        : Name.EndsWith("-q5_0", StringComparison.Ordinal) ? "q5_0"
        : null;

    /// <summary>A voice-activity (Silero) model: it finds speech for whisper and transcribes nothing itself.</summary>
    public bool IsVoiceActivityModel { get; init; }
}
