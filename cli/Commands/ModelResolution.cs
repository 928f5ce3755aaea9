using Cast2md.Cli.Infrastructure;
using Cast2md.Cli.Progress;
using Cast2md.Models;
using Cast2md.Settings;

namespace Cast2md.Cli.Commands;

/// <summary>
/// --model / $WHISPER_MODEL and --compute-type / $WHISPER_COMPUTE_TYPE to a local file, downloading it when missing;
/// likewise the voice-activity model.
/// </summary>
internal static class ModelResolution
{
    public static async Task<string> ResolveAsync(string? model, string? computeType, ProgressMode progress, CancellationToken cancellationToken)
    {
        var name = model ?? CliSettings.String(Settings.SettingDefinitions.WhisperModel) ?? ModelCatalog.DefaultModel;
        var variant = computeType ?? CliSettings.String(Settings.SettingDefinitions.WhisperComputeType) ?? ModelCatalog.DefaultComputeType;
        var store = new ModelStore(ModelSettings.FromVariables(LocalSettings.Process.Get));
        var reporter = new ProgressReporter(progress, "downloading model");
        try
        {
            return await store.ResolveAsync(name, variant, reporter, Log.Info, cancellationToken);
        }
        finally
        {
            reporter.Complete();
        }
    }

    /// <summary>The voice-activity model's file, downloaded when missing.</summary>
    /// <exception cref="ModelException">It is missing and cannot be downloaded.</exception>
    public static async Task<string> ResolveVoiceActivityAsync(string model, ProgressMode progress, CancellationToken cancellationToken)
    {
        var store = new ModelStore(ModelSettings.FromVariables(LocalSettings.Process.Get));
        var reporter = new ProgressReporter(progress, "downloading voice-activity model");
        try
        {
            return await store.ResolveVoiceActivityAsync(model, reporter, Log.Info, cancellationToken);
        }
        finally
        {
            reporter.Complete();
        }
    }

    /// <summary>
    /// As <see cref="ResolveVoiceActivityAsync"/>, but a model that is missing and cannot be had (offline, a corrupt
    /// download, a wrong path) only costs the detection: one warning, and null so the caller transcribes without it.
    /// </summary>
    public static async Task<string?> ResolveVoiceActivityOrWarnAsync(string model, ProgressMode progress, CancellationToken cancellationToken)
    {
        try
        {
            return await ResolveVoiceActivityAsync(model, progress, cancellationToken);
        }
        catch (ModelException ex)
        {
            Log.Warn($"transcribing without voice-activity detection (music and noise are transcribed too): {ex.Message}");
            return null;
        }
    }
}
