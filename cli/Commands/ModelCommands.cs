using Cast2md.Cli.Infrastructure;
using Cast2md.Cli.Progress;
using Cast2md.Models;
using Cast2md.Settings;
using ConsoleAppFramework;

namespace Cast2md.Cli.Commands;

/// <summary>cast2md model list|download|rm: the Whisper and voice-activity models in the models folder ($CAST2MD_MODELS_DIR, else ~/.cast2md/models).</summary>
[RegisterCommands("model")]
internal sealed class ModelCommands
{
    /// <summary>List the catalogue and which models are installed.</summary>
    /// <param name="installed">Only installed models.</param>
    [Command("list")]
    public int List(bool installed = false)
    {
        var store = new ModelStore(ModelSettings.FromVariables(LocalSettings.Process.Get));
        var local = store.ListInstalled();
        var installedFiles = local.Select(m => m.FileName).ToHashSet(StringComparer.Ordinal);
        Console.WriteLine($"{"NAME", -22} {"FILE", -30} {"SIZE", 9}  INSTALLED");
        foreach (var model in ModelCatalog.All)
        {
            var isInstalled = installedFiles.Contains(model.FileName);
            if (installed && !isInstalled)
                continue;
            Console.WriteLine($"{model.Name, -22} {model.FileName, -30} {FormatSize(model.SizeBytes), 9}  {(isInstalled ? "yes" : "")}");
        }
        foreach (var other in local.Where(m => m.CatalogEntry is null))
            Console.WriteLine($"{"(local file)", -22} {other.FileName, -30} {FormatSize(other.SizeBytes), 9}  yes");

        // The voice-activity model finds speech for whisper; it is set as WHISPER_VAD_MODEL, never as WHISPER_MODEL.
        var voiceActivity = ModelCatalog.VoiceActivityModels.Where(m => !installed || installedFiles.Contains(m.FileName)).ToList();
        if (voiceActivity.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine($"{"VOICE-ACTIVITY MODEL", -22} {"FILE", -30} {"SIZE", 9}  INSTALLED");
            foreach (var model in voiceActivity)
                Console.WriteLine(
                    $"{model.Name, -22} {model.FileName, -30} {FormatSize(model.SizeBytes), 9}  {(installedFiles.Contains(model.FileName) ? "yes" : "")}"
                );
        }
        Log.Debug("models folder: " + ModelSettings.FromVariables(LocalSettings.Process.Get).ModelsDirectory);
        return ExitCodes.Ok;
    }

    /// <summary>Download a model into the models folder (resumes, verifies its checksum); prints its path.</summary>
    /// <param name="name">Model name, e.g. tiny, base.en, large-v3-turbo; or silero-v6.2.0, the voice-activity model.</param>
    /// <param name="computeType">Variant: int8 (q8_0), float16, q5_0, q5_1. Default: $WHISPER_COMPUTE_TYPE, else int8.</param>
    /// <param name="progress">auto, bar, plain, json or none.</param>
    [Command("download")]
    public async Task<int> DownloadAsync(
        [Argument] string name,
        string? computeType = null,
        ProgressMode progress = ProgressMode.Auto,
        CancellationToken cancellationToken = default
    )
    {
        Log.IsJson = ProgressReporter.Resolve(progress) == ProgressMode.Json;
        var path = ModelCatalog.FindVoiceActivityModel(name) is not null
            ? await ModelResolution.ResolveVoiceActivityAsync(name, progress, cancellationToken)
            : await ModelResolution.ResolveAsync(name, computeType, progress, cancellationToken);
        Console.WriteLine(path);
        return ExitCodes.Ok;
    }

    /// <summary>Remove a downloaded model.</summary>
    /// <param name="name">Model name (with --compute-type) or file name.</param>
    /// <param name="computeType">Variant: int8, float16, q5_0, q5_1. Default: $WHISPER_COMPUTE_TYPE, else int8.</param>
    [Command("rm")]
    public int Remove([Argument] string name, string? computeType = null)
    {
        var store = new ModelStore(ModelSettings.FromVariables(LocalSettings.Process.Get));
        var variant = computeType ?? CliSettings.String(Settings.SettingDefinitions.WhisperComputeType) ?? ModelCatalog.DefaultComputeType;
        if (!store.Remove(name, variant))
        {
            Log.Error($"model '{name}' ({variant}) is not installed in {ModelSettings.FromVariables(LocalSettings.Process.Get).ModelsDirectory}");
            return ExitCodes.Error;
        }
        Log.Info($"removed {name}");
        return ExitCodes.Ok;
    }

    private static string FormatSize(long? bytes) =>
        bytes is not { } b ? "?"
        : b >= 1L << 30 ? $"{b / (double)(1L << 30):0.0} GiB"
        : b >= 1 << 20 ? $"{b / (double)(1 << 20):0} MiB"
        : $"{b / 1024.0:0} KiB";
}
