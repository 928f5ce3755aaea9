namespace Cast2md.Whisper;

/// <summary>How a model is loaded (whisper_context_params).</summary>
public sealed record WhisperModelOptions
{
    /// <summary>Use a GPU backend when libwhisper was built with one; ignored by a CPU-only build.</summary>
    public bool UseGpu { get; init; } = true;

    /// <summary>Which GPU, when there are several.</summary>
    public int GpuDevice { get; init; }

    /// <summary>Flash attention (whisper.cpp's and whisper-cli's default since 1.8).</summary>
    public bool FlashAttention { get; init; } = true;
}
