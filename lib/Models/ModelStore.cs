using Cast2md.Net;

namespace Cast2md.Models;

/// <summary>
/// The models directory: turns a model name or path into a local ggml file, downloading a missing catalogue
/// file (resumable, checksum-verified, atomically renamed into place), and lists and removes installed files.
/// </summary>
public sealed partial class ModelStore(ModelSettings settings, HttpClient? httpClient = null)
{
    private readonly HttpClient _http = httpClient ?? DefaultHttpClient;

    public ModelSettings Settings { get; } = settings;

    /// <summary>Where <paramref name="model"/> is (or would be) stored.</summary>
    public string GetPath(ModelInfo model) => Path.Combine(Settings.ModelsDirectory, model.FileName);

    /// <summary>
    /// A path to an existing file is returned as is (full path); a model name is resolved through
    /// <see cref="ModelCatalog.Resolve"/> to a file in the models directory, downloaded when missing.
    /// An installed file is not re-hashed. <paramref name="onNotice"/> receives one-line notices: a substituted
    /// model, waiting for another process's download, which checksum verified the download.
    /// </summary>
    /// <exception cref="ModelException">Missing path, unknown name, failed or corrupt download.</exception>
    public async Task<string> ResolveAsync(
        string modelOrPath,
        string? computeType,
        IProgress<DownloadProgress>? progress = null,
        Action<string>? onNotice = null,
        CancellationToken cancellationToken = default
    )
    {
        if (string.IsNullOrWhiteSpace(modelOrPath))
            throw new ModelException($"No Whisper model given. {ModelCatalog.ValidNamesHint()}");
        var value = modelOrPath.Trim();
        if (ModelCatalog.FindVoiceActivityModel(Path.GetFileName(value)) is not null)
            throw ModelCatalog.NotAWhisperModel(value);

        if (FindExistingFile(value) is { } existing)
            return existing;

        ModelSelection selection;
        try
        {
            selection = ModelCatalog.Resolve(value, computeType);
        }
        catch (ModelException ex) when (ModelPaths.HasDirectorySeparator(value) || ModelPaths.HasBinExtension(value))
        {
            // It looked like a path (or a file name) and is neither a file nor a catalogue name.
            var fullPath = Path.GetFullPath(Files.HomePath.Expand(value));
            throw new ModelException(
                Directory.Exists(fullPath)
                    ? $"Model path {fullPath} is a directory; give the ggml .bin file inside it."
                    : $"Model file not found: {fullPath} (and '{value}' is not a model name: run 'cast2md model list' for those).",
                ex
            );
        }

        if (selection.Notice is { } notice)
            onNotice?.Invoke(notice);
        return await InstalledOrDownloadAsync(selection.Model, progress, onNotice, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The catalogue model's file in the models directory, downloaded (checksum-verified) when it is not there.</summary>
    private async Task<string> InstalledOrDownloadAsync(
        ModelInfo model,
        IProgress<DownloadProgress>? progress,
        Action<string>? onNotice,
        CancellationToken cancellationToken
    )
    {
        var path = GetPath(model);
        if (File.Exists(path))
            return path;
        return await DownloadAsync(model, progress, onNotice, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The full path when <paramref name="value"/> names an existing file: as a path, or as a file name in the models directory.</summary>
    private string? FindExistingFile(string value)
    {
        var looksLikePath = ModelPaths.HasDirectorySeparator(value) || ModelPaths.HasBinExtension(value);
        if (!looksLikePath)
            return null;
        var fullPath = Path.GetFullPath(Files.HomePath.Expand(value));
        if (File.Exists(fullPath))
            return fullPath;
        if (ModelPaths.HasDirectorySeparator(value))
            return null;
        var inStore = Path.Combine(Settings.ModelsDirectory, value);
        return File.Exists(inStore) ? inStore : null;
    }

    /// <summary>Every *.bin file in the models directory, by name; partial downloads are not listed.</summary>
    public IReadOnlyList<InstalledModel> ListInstalled()
    {
        if (!Directory.Exists(Settings.ModelsDirectory))
            return [];
        return new DirectoryInfo(Settings.ModelsDirectory)
            .EnumerateFiles()
            .Where(f => f.Name.EndsWith(".bin", StringComparison.OrdinalIgnoreCase))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => new InstalledModel(
                f.Name,
                f.FullName,
                f.Length,
                ModelCatalog.FindByFileName(f.Name) ?? ModelCatalog.FindVoiceActivityModel(f.Name)
            ))
            .ToArray();
    }

    /// <summary>
    /// Deletes a model file (and its partial download) from the models directory. <paramref name="modelOrFileName"/> is a
    /// file name there ("ggml-tiny.bin", "my-model.bin") or a catalogue name resolved with <paramref name="computeType"/>
    /// (null: the plain f16 file). Returns false when there was nothing to delete.
    /// </summary>
    /// <exception cref="ModelException">A path, an unknown name, or a file another process is downloading.</exception>
    public bool Remove(string modelOrFileName, string? computeType = null)
    {
        var value = modelOrFileName.Trim();
        if (ModelPaths.HasDirectorySeparator(value))
            throw new ModelException($"'{value}' is a path; only files in the models directory ({Settings.ModelsDirectory}) can be removed.");

        var path = Path.Combine(Settings.ModelsDirectory, value);
        if (!File.Exists(path) && !File.Exists(path + PartSuffix))
            path = GetPath(ModelCatalog.FindVoiceActivityModel(value) ?? ModelCatalog.Resolve(value, computeType).Model);
        if (!File.Exists(path) && !File.Exists(path + PartSuffix))
            return false;

        using var downloadLock = TryAcquireLock(path)
            ?? throw new ModelException($"{Path.GetFileName(path)} is being downloaded by another cast2md process; try again when it has finished.");
        var removed = false;
        foreach (var file in new[] { path, path + PartSuffix })
        {
            if (!File.Exists(file))
                continue;
            File.Delete(file);
            removed = true;
        }
        return removed;
    }
}
