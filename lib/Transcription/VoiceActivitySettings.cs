using System.Globalization;
using Cast2md.Models;
using Cast2md.Settings;
using Cast2md.Whisper;

namespace Cast2md.Transcription;

/// <summary>
/// The voice-activity settings of a transcription (<c>WHISPER_VAD</c>, <c>WHISPER_VAD_MODEL</c>,
/// <c>WHISPER_VAD_MIN_SILENCE_MS</c>, <c>WHISPER_VAD_THRESHOLD</c>), as the server, a node and the command read them
/// and as a parent passes them to its <c>cast2md transcribe</c> child.
/// </summary>
/// <param name="Model">A voice-activity catalogue name (silero-v6.2.0) or the path of a Silero ggml file.</param>
public sealed record VoiceActivitySettings(bool Enabled, string Model, int MinSilenceMs, double Threshold)
{
    /// <summary>Every setting at the default its definition declares (one place for the defaults).</summary>
    public static VoiceActivitySettings Default { get; } = Read(_ => null);

    /// <summary>
    /// Reads and checks the four settings; unset ones take their defaults. <paramref name="nameOf"/> says what to call
    /// a setting in a message (a command-line flag that gave the value, say); by default its variable name.
    /// </summary>
    /// <exception cref="SettingValueException">A value that is not valid for its setting; the message names it.</exception>
    public static VoiceActivitySettings Read(Func<string, string?> lookup, Func<string, string>? nameOf = null)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        nameOf ??= key => key;
        string Value(string key)
        {
            var definition = SettingDefinitions.Find(key)!;
            var raw = lookup(key);
            if (string.IsNullOrWhiteSpace(raw))
                return definition.Default;
            return SettingValidator.TryNormalize(definition, raw, out var normalized, out var problem)
                ? normalized
                : throw new SettingValueException(nameOf(key), $"{nameOf(key)}: {problem}");
        }

        var model = Value(SettingDefinitions.WhisperVadModel);
        // A Whisper model here is a mix-up worth a sentence now, not a failed load later.
        if (ModelCatalog.FindVoiceActivityModel(model) is null && !ModelPaths.HasDirectorySeparator(model) && !ModelPaths.HasBinExtension(model))
            throw new SettingValueException(
                nameOf(SettingDefinitions.WhisperVadModel),
                $"{nameOf(SettingDefinitions.WhisperVadModel)}: '{model}' is not a voice-activity model. {ModelCatalog.VoiceActivityNamesHint()}"
            );
        return new VoiceActivitySettings(
            Value(SettingDefinitions.WhisperVad) == "true",
            model,
            int.Parse(Value(SettingDefinitions.WhisperVadMinSilenceMs), CultureInfo.InvariantCulture),
            double.Parse(Value(SettingDefinitions.WhisperVadThreshold), CultureInfo.InvariantCulture)
        );
    }

    /// <summary>The <c>cast2md transcribe</c> arguments that give a child exactly these settings.</summary>
    public IReadOnlyList<string> ToArguments() =>
        [
            Enabled ? "--vad" : "--no-vad",
            "--vad-model",
            Model,
            "--vad-min-silence-ms",
            MinSilenceMs.ToString(CultureInfo.InvariantCulture),
            "--vad-threshold",
            Threshold.ToString("R", CultureInfo.InvariantCulture),
        ];

    /// <summary>The detector's options; <paramref name="threads"/> as whisper's.</summary>
    public VadOptions ToOptions(int threads) =>
        new()
        {
            Threshold = (float)Threshold,
            MinSilence = TimeSpan.FromMilliseconds(MinSilenceMs),
            Threads = threads,
        };
}
