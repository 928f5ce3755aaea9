using System.Globalization;
using Cast2md.Cli.Infrastructure;
using Cast2md.Settings;
using Cast2md.Transcription;

namespace Cast2md.Cli.Commands;

/// <summary>--vad/--no-vad, --vad-model, --vad-min-silence-ms and --vad-threshold over their WHISPER_VAD* variables.</summary>
internal sealed partial class TranscribeCommand
{
    private static VoiceActivitySettings ReadVoiceActivity(bool vad, bool noVad, string? vadModel, int? vadMinSilenceMs, double? vadThreshold)
    {
        if (vad && noVad)
            throw new UsageException("--vad and --no-vad contradict each other: give one of them.");

        string? FromFlag(string key) =>
            key switch
            {
                SettingDefinitions.WhisperVad => vad ? "true"
                : noVad ? "false"
                : null,
                SettingDefinitions.WhisperVadModel => vadModel,
                SettingDefinitions.WhisperVadMinSilenceMs => vadMinSilenceMs?.ToString(CultureInfo.InvariantCulture),
                SettingDefinitions.WhisperVadThreshold => vadThreshold?.ToString("R", CultureInfo.InvariantCulture),
                _ => null,
            };
        string FlagName(string key) =>
            key switch
            {
                SettingDefinitions.WhisperVadModel => "--vad-model",
                SettingDefinitions.WhisperVadMinSilenceMs => "--vad-min-silence-ms",
                SettingDefinitions.WhisperVadThreshold => "--vad-threshold",
                _ => "--vad",
            };

        try
        {
            return VoiceActivitySettings.Read(key => FromFlag(key) ?? CliSettings.String(key), key => FromFlag(key) is null ? key : FlagName(key));
        }
        catch (SettingValueException ex)
        {
            throw new UsageException(ex.Message);
        }
    }
}
