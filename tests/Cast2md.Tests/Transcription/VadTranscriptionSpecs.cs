using System.Text.Json;
using Cast2md.Tests.Infra;
using Xunit;
using Part = Cast2md.Tests.Transcription.AudioPart;

namespace Cast2md.Tests.Transcription;

/// <summary>
/// Voice-activity detection in the published ./bin/cast2md, on recordings generated here: only speech is transcribed,
/// at its true times; music, noise and silence give nothing; --no-vad brings back the old behaviour.
/// </summary>
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed class VadTranscriptionSpecs
{
    private static readonly string[] Sentences =
    [
        "Good morning, and welcome to the show.",
        "Today we talk about the weather in the mountains.",
        "It was cold and windy all week long.",
        "Bye for now, and see you next week.",
    ];

    private static Task<JsonElement> TranscribeToJsonAsync(TempDir dir, string audio, params string[] options) =>
        JsonTranscripts.TranscribeAsync(dir, audio, options);

    private static List<(long StartMs, string Text)> Segments(JsonElement transcript) => JsonTranscripts.Segments(transcript);

    private static string WordsOf(JsonElement transcript) => JsonTranscripts.WordsOf(transcript);

    [Fact(Timeout = 120_000)]
    public async Task I_can_transcribe_speech_between_music_noise_and_long_silences_and_get_the_words_of_the_speech_alone_at_their_true_times()
    {
        // Arrange
        using var dir = TempDir.Create();
        var podcast = await SpeechAudio.ComposeAsync(
            dir,
            "podcast.wav",
            new Part.Silence(3),
            new Part.Speech(Sentences[0]),
            new Part.Chords(6),
            new Part.Speech(Sentences[1]),
            new Part.Noise(5),
            new Part.Speech(Sentences[2]),
            new Part.Silence(8),
            new Part.Speech(Sentences[3]),
            new Part.Chords(4)
        );
        var alone = await SpeechAudio.ComposeAsync(
            dir,
            "alone.wav",
            new Part.Speech(Sentences[0]),
            new Part.Silence(0.7),
            new Part.Speech(Sentences[1]),
            new Part.Silence(0.7),
            new Part.Speech(Sentences[2]),
            new Part.Silence(0.7),
            new Part.Speech(Sentences[3])
        );

        // Act
        var transcript = await TranscribeToJsonAsync(dir, podcast.Path, "--model", Paths.RealModel);
        var reference = await TranscribeToJsonAsync(dir, alone.Path, "--model", Paths.RealModel);

        // Assert
        Assert.Equal(WordsOf(reference), WordsOf(transcript));
        var segments = Segments(transcript);
        for (var i = 0; i < podcast.Sentences.Count; i++)
        {
            var sentence = podcast.Sentences[i];
            var after = i == 0 ? 0 : podcast.Sentences[i - 1].End;
            var first = segments.First(s => s.StartMs >= after * 1000);
            Assert.True(
                Math.Abs(first.StartMs - sentence.Start * 1000) <= 100,
                $"'{sentence.Text}' starts at {sentence.Start:0.000} s; its first segment at {first.StartMs / 1000.0:0.000} s ('{first.Text}')"
            );
            Assert.StartsWith(Words.Normalize(sentence.Text).Split(' ')[0], Words.Normalize(first.Text));
        }
    }

    [Theory(Timeout = 60_000)]
    [InlineData("silence")]
    [InlineData("pink noise")]
    [InlineData("white noise")]
    [InlineData("tone")]
    [InlineData("chords")]
    public async Task I_can_transcribe_a_file_without_speech_and_get_no_speech_detected_and_exit_0(string kind)
    {
        // Arrange
        using var dir = TempDir.Create();
        var audio = await SpeechAudio.ComposeAsync(dir, "nothing.wav", NonSpeech(kind, 20));

        // Act
        var result = await Cast2mdBinary.RunAsync("transcribe", audio.Path, "--model", Paths.RealModel, "--threads", "2");

        // Assert
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("*No speech detected*", result.StandardOutput);
        Assert.DoesNotContain("**[", result.StandardOutput);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("pink noise")]
    [InlineData("tone")]
    public async Task I_can_turn_detection_off_with_no_vad_and_noise_and_tones_go_to_whisper_again(string kind)
    {
        // Arrange
        using var dir = TempDir.Create();
        var audio = await SpeechAudio.ComposeAsync(dir, "nothing.wav", NonSpeech(kind, 10));

        // Act
        var detected = await TranscribeToJsonAsync(dir, audio.Path, "--model", Paths.RealModel);
        var undetected = await TranscribeToJsonAsync(dir, audio.Path, "--model", Paths.RealModel, "--no-vad");

        // Assert: whisper ran (and detected a language) only without detection
        Assert.Equal(JsonValueKind.Null, detected.GetProperty("language").ValueKind);
        Assert.Equal(JsonValueKind.String, undetected.GetProperty("language").ValueKind);
    }

    [Fact(Timeout = 60_000)]
    public async Task I_can_turn_detection_off_with_no_vad_and_silence_is_still_skipped()
    {
        // Arrange
        using var dir = TempDir.Create();
        var audio = await SpeechAudio.ComposeAsync(dir, "silence.wav", new Part.Silence(10));

        // Act
        var transcript = await TranscribeToJsonAsync(dir, audio.Path, "--model", Paths.RealModel, "--no-vad");

        // Assert
        Assert.Equal(JsonValueKind.Null, transcript.GetProperty("language").ValueKind);
        Assert.Equal("No speech detected", transcript.GetProperty("note").GetString());
    }

    [Fact(Timeout = 60_000)]
    public async Task I_get_the_language_detected_on_the_speech_and_not_on_the_music_before_it()
    {
        // Arrange: 35 s of chords fill whisper's whole detection window when nothing is cut
        using var dir = TempDir.Create();
        var audio = await SpeechAudio.ComposeAsync(
            dir,
            "late.wav",
            new Part.Chords(35),
            new Part.Speech(Sentences[1]),
            new Part.Speech(Sentences[2])
        );

        // Act
        var transcript = await TranscribeToJsonAsync(dir, audio.Path, "--model", Paths.RealModel);

        // Assert
        Assert.Equal("en", transcript.GetProperty("language").GetString());
        Assert.True(transcript.GetProperty("language_probability").GetDouble() > 0.5, transcript.ToString());
        Assert.InRange(Segments(transcript)[0].StartMs, 34_900, 35_100);
    }

    [Fact(Timeout = 60_000)]
    public async Task I_can_follow_progress_over_the_whole_file_while_only_its_speech_is_transcribed()
    {
        // Arrange
        using var dir = TempDir.Create();
        var podcast = await SpeechAudio.ComposeAsync(
            dir,
            "podcast.wav",
            new Part.Chords(8),
            new Part.Speech(Sentences[0]),
            new Part.Noise(6),
            new Part.Speech(Sentences[1]),
            new Part.Silence(5)
        );

        // Act
        var result = await Cast2mdBinary.RunAsync(
            "transcribe",
            podcast.Path,
            "--model",
            Paths.StandInModel,
            "--progress",
            "json",
            "-o",
            dir.Combine("t.txt"),
            "--chunk-minutes",
            "0.25"
        );

        // Assert
        Assert.True(result.ExitCode == 0, result.StandardError);
        var events = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var progress = events.Where(e => e.GetProperty("event").GetString() == "progress").ToList();
        var percents = progress.Select(e => e.GetProperty("percent").GetDouble()).ToList();
        var positions = progress.Select(e => e.GetProperty("position_ms").GetInt64()).ToList();
        Assert.True(percents.Count >= 3, result.StandardError);
        Assert.Equal(percents.Order(), percents);
        Assert.Equal(positions.Order(), positions);
        Assert.Equal(100, percents[^1]);
        Assert.InRange(positions[^1], (long)(podcast.Seconds * 1000) - 50, (long)(podcast.Seconds * 1000) + 50);
        Assert.Equal("done", events[^1].GetProperty("event").GetString());
    }

    [Theory(Timeout = 60_000)]
    [InlineData("404")]
    [InlineData("corrupt")]
    public async Task I_can_transcribe_without_detection_when_its_model_is_missing_and_cannot_be_downloaded_with_one_warning(string failure)
    {
        // Arrange: no voice-activity model installed, and the model server fails
        await using var server = FixtureServer.Start();
        if (failure == "corrupt")
            server.MapBytes("/models/ggml-silero-v6.2.0.bin", new byte[885_098]);
        using var dir = TempDir.Create();
        var environment = new Dictionary<string, string?>
        {
            ["CAST2MD_MODEL_BASE_URL"] = server.Url("/models/").ToString(),
            ["CAST2MD_MODELS_DIR"] = dir.Combine("models"),
            ["WHISPER_VAD_MODEL"] = null,
        };

        // Act
        var result = await Cast2mdBinary.RunAsync(
            environment,
            "transcribe",
            Paths.JfkWav,
            "--model",
            Paths.RealModel,
            "--threads",
            "2",
            "-f",
            "txt",
            "--progress",
            "none"
        );

        // Assert
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(Words.Normalize(Paths.JfkReference), Words.Normalize(result.StandardOutput));
        var warning = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("without voice-activity detection", warning);
        Assert.Contains("ggml-silero-v6.2.0.bin", warning);
        Assert.DoesNotContain("   at ", result.StandardError);
        Assert.False(File.Exists(dir.Combine("models", "ggml-silero-v6.2.0.bin")));
    }

    [Fact(Timeout = 60_000)]
    public async Task I_can_transcribe_with_a_vad_model_that_is_downloaded_verified_and_kept_on_first_use()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        server.MapDirectory("/models", Path.Combine(Paths.Shared, "models"));
        using var dir = TempDir.Create();
        var noise = await SpeechAudio.ComposeAsync(dir, "noise.wav", new Part.Noise(10));
        var environment = new Dictionary<string, string?>
        {
            ["CAST2MD_MODEL_BASE_URL"] = server.Url("/models/").ToString(),
            ["CAST2MD_MODELS_DIR"] = dir.Combine("models"),
            ["WHISPER_VAD_MODEL"] = null,
        };

        // Act
        var first = await Cast2mdBinary.RunAsync(environment, "transcribe", noise.Path, "--model", Paths.RealModel, "--progress", "none");
        var second = await Cast2mdBinary.RunAsync(
            environment,
            "transcribe",
            Paths.JfkWav,
            "--model",
            Paths.RealModel,
            "-f",
            "txt",
            "--progress",
            "none"
        );
        var list = await Cast2mdBinary.RunAsync(environment, "model", "list", "--installed");

        // Assert
        Assert.True(first.ExitCode == 0, first.StandardError);
        Assert.Contains("*No speech detected*", first.StandardOutput);
        Assert.Single(server.RequestsTo("/models/ggml-silero-v6.2.0.bin"));
        Assert.True(second.ExitCode == 0, second.StandardError);
        Assert.Equal(Words.Normalize(Paths.JfkReference), Words.Normalize(second.StandardOutput));
        Assert.DoesNotContain("warning", second.StandardError);
        Assert.Contains("VOICE-ACTIVITY MODEL", list.StandardOutput);
        Assert.Contains("ggml-silero-v6.2.0.bin", list.StandardOutput);
    }

    [Theory]
    [InlineData("--vad-threshold", "1.5", "--vad-threshold: 1.5 is above the maximum of 0.99.")]
    [InlineData("--vad-min-silence-ms", "-5", "--vad-min-silence-ms: -5 is below the minimum of 0.")]
    [InlineData("--vad-model", "tiny", "--vad-model: 'tiny' is not a voice-activity model.")]
    [InlineData("--vad", "--no-vad", "--vad and --no-vad contradict each other")]
    public async Task I_get_a_clear_sentence_and_exit_2_for_a_bad_vad_option(string option, string value, string expected)
    {
        // Act
        var result = await Cast2mdBinary.RunAsync("transcribe", Paths.JfkWav, "--model", Paths.StandInModel, option, value);

        // Assert
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.StandardError);
        Assert.DoesNotContain("   at ", result.StandardError);
    }

    [Theory]
    [InlineData("WHISPER_VAD", "maybe", "WHISPER_VAD: 'maybe' is not a yes/no value")]
    [InlineData("WHISPER_VAD_THRESHOLD", "high", "WHISPER_VAD_THRESHOLD: 'high' is not a number")]
    [InlineData("WHISPER_VAD_MIN_SILENCE_MS", "20000", "WHISPER_VAD_MIN_SILENCE_MS: 20000 is above the maximum of 10000.")]
    [InlineData("WHISPER_VAD_MODEL", "large-v3", "WHISPER_VAD_MODEL: 'large-v3' is not a voice-activity model.")]
    public async Task I_get_a_clear_sentence_and_exit_2_for_a_bad_vad_setting(string variable, string value, string expected)
    {
        // Act
        var result = await Cast2mdBinary.RunAsync(
            new Dictionary<string, string?> { [variable] = value },
            "transcribe",
            Paths.JfkWav,
            "--model",
            Paths.StandInModel
        );

        // Assert
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.StandardError);
    }

    [Fact]
    public async Task I_get_a_clear_sentence_when_i_choose_the_vad_model_as_the_whisper_model()
    {
        // Act
        var result = await Cast2mdBinary.RunAsync("transcribe", Paths.JfkWav, "--model", "silero-v6.2.0");

        // Assert
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("'silero-v6.2.0' is the voice-activity model, not a Whisper model", result.StandardError);
    }

    private static Part NonSpeech(string kind, double seconds) =>
        kind switch
        {
            "silence" => new Part.Silence(seconds),
            "pink noise" => new Part.Noise(seconds, "pink", 0.3),
            "white noise" => new Part.Noise(seconds, "white", 0.1),
            "tone" => new Part.Tone(seconds),
            "chords" => new Part.Chords(seconds),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
}
