using Cast2md.Settings;
using Cast2md.Transcription;

namespace Cast2md.NodeAgent;

/// <summary>
/// The whisper settings of a node. We always run whisper.cpp; the original's backends are accepted and mapped onto it
/// (<see cref="Notice"/> says how, once at start): faster-whisper with <c>WHISPER_DEVICE=cuda</c> → the CUDA build,
/// faster-whisper otherwise → CPU, mlx → Metal. <c>WHISPER_DEVICE=mps</c> (PyTorch's name) means metal.
/// </summary>
public sealed record NodeWhisperOptions(string Backend, string Model, string Device, string ComputeType, double ChunkMinutes, string? Notice)
{
    /// <summary><c>WHISPER_VAD</c>, <c>WHISPER_VAD_MODEL</c>, <c>WHISPER_VAD_MIN_SILENCE_MS</c>, <c>WHISPER_VAD_THRESHOLD</c> of the node.</summary>
    public VoiceActivitySettings VoiceActivity { get; init; } = VoiceActivitySettings.Default;

    /// <summary><c>WHISPER_PARALLEL</c> of the node: whisper states per transcription (auto by default).</summary>
    public DecodingParallelism Parallel { get; init; } = DecodingParallelism.Auto;

    public const string Engine = "whisper.cpp";

    public static NodeWhisperOptions Default { get; } = new("auto", "large-v3-turbo", "auto", "int8", 30, null);

    public static NodeWhisperOptions Read(LocalSettings env)
    {
        var backend = (env.Get(SettingDefinitions.WhisperBackend) ?? "auto").ToLowerInvariant();
        var model = env.Get(SettingDefinitions.WhisperModel) ?? Default.Model;
        var computeType = env.Get(SettingDefinitions.WhisperComputeType) ?? Default.ComputeType;
        var deviceText = env.Get(SettingDefinitions.WhisperDevice);
        var device = deviceText?.ToLowerInvariant() switch
        {
            null or "auto" => "auto",
            "cpu" => "cpu",
            "cuda" or "gpu" => "cuda",
            "metal" or "mps" => "metal",
            _ => throw new NodeSettingException(
                SettingDefinitions.WhisperDevice,
                $"WHISPER_DEVICE='{deviceText}' is not a device: use auto, cpu, cuda, metal (or mps)."
            ),
        };
        var chunkText = env.Get(SettingDefinitions.WhisperChunkSizeMinutes);
        var chunk = Default.ChunkMinutes;
        if (
            chunkText is not null
            && (
                !double.TryParse(chunkText, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out chunk)
                || chunk <= 0
            )
        )
            throw new NodeSettingException(
                SettingDefinitions.WhisperChunkSizeMinutes,
                $"WHISPER_CHUNK_SIZE_MINUTES='{chunkText}' is not a positive number."
            );

        string? notice = null;
        switch (backend)
        {
            case "auto" or "whisper.cpp" or "whispercpp" or "whisper-cpp":
                backend = backend == "auto" ? "auto" : Engine;
                break;
            case "faster-whisper" or "faster_whisper":
                backend = "faster-whisper";
                device = device == "cuda" ? "cuda" : "cpu";
                notice =
                    $"WHISPER_BACKEND=faster-whisper runs on whisper.cpp here ({(device == "cuda" ? "CUDA build" : "CPU")}, compute type {computeType})";
                break;
            case "mlx" or "mlx-whisper":
                backend = "mlx";
                device = "metal";
                notice = $"WHISPER_BACKEND=mlx runs on whisper.cpp here (Metal, compute type {computeType})";
                break;
            default:
                throw new NodeSettingException(
                    SettingDefinitions.WhisperBackend,
                    $"WHISPER_BACKEND='{env.Get(SettingDefinitions.WhisperBackend)}' is not a backend: use auto, whisper.cpp, faster-whisper or mlx."
                );
        }
        VoiceActivitySettings voiceActivity;
        try
        {
            voiceActivity = VoiceActivitySettings.Read(env.Get);
        }
        catch (SettingValueException ex)
        {
            throw new NodeSettingException(ex.Setting, ex.Message);
        }
        var parallelText = env.Get(SettingDefinitions.WhisperParallel);
        if (!DecodingParallelism.TryParse(parallelText, out var parallel))
            throw new NodeSettingException(
                SettingDefinitions.WhisperParallel,
                $"WHISPER_PARALLEL='{parallelText}' is not auto or a number of whisper states from 1 to {DecodingParallelism.MaxStates}."
            );
        return new NodeWhisperOptions(backend, model, device, computeType, chunk, notice) { VoiceActivity = voiceActivity, Parallel = parallel };
    }
}
