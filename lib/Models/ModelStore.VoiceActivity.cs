using Cast2md.Net;

namespace Cast2md.Models;

public sealed partial class ModelStore
{
    /// <summary>
    /// A voice-activity model's local file: a path is taken as is; a catalogue name ("silero-v6.2.0") is looked up in the
    /// models directory and downloaded (checksum-verified) when missing, as the Whisper models are.
    /// </summary>
    /// <exception cref="ModelException">A missing file, a name that is no voice-activity model, or a failed or corrupt download.</exception>
    public async Task<string> ResolveVoiceActivityAsync(
        string modelOrPath,
        IProgress<DownloadProgress>? progress = null,
        Action<string>? onNotice = null,
        CancellationToken cancellationToken = default
    )
    {
        if (string.IsNullOrWhiteSpace(modelOrPath))
            throw new ModelException($"No voice-activity model given. {ModelCatalog.VoiceActivityNamesHint()}");
        var value = modelOrPath.Trim();
        if (FindExistingFile(value) is { } existing)
            return existing;
        if (ModelCatalog.FindVoiceActivityModel(value) is not { } model)
        {
            if (ModelPaths.HasDirectorySeparator(value) || ModelPaths.HasBinExtension(value))
                throw new ModelException($"Voice-activity model file not found: {Path.GetFullPath(Files.HomePath.Expand(value))}.");
            throw new ModelException($"Unknown voice-activity model '{value}'. {ModelCatalog.VoiceActivityNamesHint()}");
        }

        return await InstalledOrDownloadAsync(model, progress, onNotice, cancellationToken).ConfigureAwait(false);
    }
}
