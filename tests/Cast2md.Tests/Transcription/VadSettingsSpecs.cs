using Cast2md.NodeAgent;
using Cast2md.Processing.Handlers;
using Cast2md.Services;
using Cast2md.Settings;
using Cast2md.Tests.Infra;
using Cast2md.Transcription;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;
using Part = Cast2md.Tests.Transcription.AudioPart;

namespace Cast2md.Tests.Transcription;

/// <summary>WHISPER_VAD and its companions as the server, a node and a parent's transcriber child read them.</summary>
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed class VadSettingsSpecs
{
    [Fact]
    public void I_get_detection_on_with_silero_500_ms_and_threshold_one_half_when_nothing_is_set()
    {
        // Act
        var settings = VoiceActivitySettings.Read(_ => null);

        // Assert
        Assert.Equal(new VoiceActivitySettings(true, "silero-v6.2.0", 500, 0.5), settings);
        Assert.Equal(["--vad", "--vad-model", "silero-v6.2.0", "--vad-min-silence-ms", "500", "--vad-threshold", "0.5"], settings.ToArguments());
    }

    [Fact]
    public void I_can_declare_the_four_settings_with_their_defaults_so_the_server_lists_and_validates_them()
    {
        // Act
        var definitions = new[] { "WHISPER_VAD", "WHISPER_VAD_MODEL", "WHISPER_VAD_MIN_SILENCE_MS", "WHISPER_VAD_THRESHOLD" }
            .Select(SettingDefinitions.Find)
            .ToList();

        // Assert
        Assert.Equal(["true", "silero-v6.2.0", "500", "0.5"], definitions.Select(d => d!.Default));
        Assert.Equal([SettingType.Bool, SettingType.String, SettingType.Int, SettingType.Double], definitions.Select(d => d!.Type));
    }

    [Fact]
    public void I_can_configure_a_node_and_its_transcriber_child_gets_the_same_settings()
    {
        // Act
        var options = NodeOptions.Read(
            LocalSettings.From(
                new Dictionary<string, string>
                {
                    ["WHISPER_VAD"] = "off",
                    ["WHISPER_VAD_MODEL"] = "/opt/models/silero.bin",
                    ["WHISPER_VAD_MIN_SILENCE_MS"] = "800",
                    ["WHISPER_VAD_THRESHOLD"] = "0.35",
                }
            )
        );

        // Assert
        Assert.Equal(new VoiceActivitySettings(false, "/opt/models/silero.bin", 800, 0.35), options.Whisper.VoiceActivity);
        Assert.Equal(
            ["--no-vad", "--vad-model", "/opt/models/silero.bin", "--vad-min-silence-ms", "800", "--vad-threshold", "0.35"],
            options.Whisper.VoiceActivity.ToArguments()
        );
    }

    [Theory]
    [InlineData("WHISPER_VAD", "sometimes")]
    [InlineData("WHISPER_VAD_MODEL", "base.en")]
    [InlineData("WHISPER_VAD_MIN_SILENCE_MS", "half a second")]
    [InlineData("WHISPER_VAD_THRESHOLD", "0")]
    public void I_can_try_a_bad_vad_setting_on_a_node_and_get_an_error_naming_the_variable(string name, string value)
    {
        // Act
        var error = Assert.Throws<NodeSettingException>(() =>
            NodeOptions.Read(LocalSettings.From(new Dictionary<string, string> { [name] = value }))
        );

        // Assert
        Assert.Equal(name, error.Variable);
        Assert.StartsWith(name + ": ", error.Message);
    }

    [Fact]
    public void I_can_change_the_server_s_vad_settings_in_its_database_and_its_transcription_jobs_use_them()
    {
        // Arrange
        using var dir = TempDir.Create();
        var core = Cast2mdCore.Open(dir.Combine("data"), _ => null);
        var update = core.Settings.Update(new Dictionary<string, string> { ["WHISPER_VAD"] = "false", ["WHISPER_VAD_THRESHOLD"] = "0.7" });

        // Act
        var settings = TranscribeHandler.Settings(core);

        // Assert
        Assert.Empty(update.Rejected);
        Assert.Equal(new VoiceActivitySettings(false, "silero-v6.2.0", 500, 0.7), settings.VoiceActivity);
    }

    [Fact]
    public void I_get_an_out_of_range_vad_setting_refused_by_the_server_with_the_reason()
    {
        // Arrange
        using var dir = TempDir.Create();
        var core = Cast2mdCore.Open(dir.Combine("data"), _ => null);

        // Act
        var update = core.Settings.Update(new Dictionary<string, string> { ["WHISPER_VAD_MIN_SILENCE_MS"] = "99999" });

        // Assert
        Assert.Contains("above the maximum of 10000", Assert.Single(update.Rejected).Value);
        Assert.Equal("500", core.Settings.GetString("WHISPER_VAD_MIN_SILENCE_MS"));
    }

    [Theory(Timeout = 60_000)]
    [InlineData(true, null)]
    [InlineData(false, "en")]
    public async Task I_can_run_a_transcriber_child_and_it_detects_voice_activity_as_its_parent_says(bool enabled, string? expectedLanguage)
    {
        // Arrange: a tone, which whisper (here the stand-in) only hears with detection off
        using var dir = TempDir.Create();
        var tone = await SpeechAudio.ComposeAsync(dir, "tone.wav", new Part.Tone(6));
        var transcriber = new TranscriberProcess(Cast2mdBinary.Path, NullLogger.Instance);
        var settings = new TranscriberSettings(Paths.StandInModel, "int8", "cpu", 30)
        {
            VoiceActivity = new VoiceActivitySettings(enabled, Paths.VadModel, 500, 0.5),
        };

        // Act
        var outcome = await transcriber.RunAsync(tone.Path, "tone", settings, dir.Combine("work"), new Progress<double>(), CancellationToken.None);

        // Assert
        Assert.True(outcome.Succeeded, outcome.ErrorMessage);
        Assert.Equal(expectedLanguage, outcome.Transcript!.Language);
        Assert.Equal("No speech detected", outcome.Transcript.Note);
    }
}
