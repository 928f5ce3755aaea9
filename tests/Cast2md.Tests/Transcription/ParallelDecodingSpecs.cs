using System.Text.Json;
using Cast2md.Tests.Infra;
using CliWrap;
using CliWrap.Buffered;
using Xunit;
using Part = Cast2md.Tests.Transcription.AudioPart;

namespace Cast2md.Tests.Transcription;

/// <summary>
/// Several whisper states decoding one file (--parallel) in the published ./bin/cast2md: the same words as one state,
/// each sentence at the same time, with and without voice-activity detection.
/// </summary>
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed class ParallelDecodingSpecs
{
    private static readonly string[] Sentences =
    [
        "Good morning, and welcome to the garden show.",
        "This week we plant tomatoes and beans.",
        "Water them early in the morning.",
        "The soil should be warm and loose.",
        "Next week we talk about roses.",
        "Thank you for listening, and goodbye.",
    ];

    private static Task<JsonElement> TranscribeAsync(TempDir dir, string audio, params string[] options) =>
        JsonTranscripts.TranscribeAsync(dir, audio, ["--model", Paths.RealModel, "--language", "en", .. options]);

    private static List<(long StartMs, string Text)> Segments(JsonElement transcript) => JsonTranscripts.Segments(transcript);

    private static string WordsOf(JsonElement transcript) => JsonTranscripts.WordsOf(transcript);

    /// <summary>The start of the first segment at or after <paramref name="fromSeconds"/> (less a little lead-in).</summary>
    private static long FirstStartAfter(JsonElement transcript, double fromSeconds) =>
        Segments(transcript).First(s => s.StartMs >= (long)(fromSeconds * 1000) - 500).StartMs;

    [Fact(Timeout = 180_000)]
    public async Task Two_states_give_the_words_of_one_state_with_every_sentence_at_the_same_time_when_speech_is_detected()
    {
        // Arrange: breaks of 4 s between sentences, so the detector's speech comes in several passages.
        using var dir = TempDir.Create();
        var parts = new List<AudioPart> { new Part.Silence(1) };
        foreach (var sentence in Sentences)
            parts.AddRange([new Part.Speech(sentence), new Part.Silence(4)]);
        var show = await SpeechAudio.ComposeAsync(dir, "show.wav", [.. parts]);

        // Act
        var one = await TranscribeAsync(dir, show.Path, "--vad", "--vad-model", Paths.VadModel, "--parallel", "1");
        var two = await TranscribeAsync(dir, show.Path, "--vad", "--vad-model", Paths.VadModel, "--parallel", "2");

        // Assert
        Assert.Equal(WordsOf(one), WordsOf(two));
        Assert.NotEmpty(WordsOf(one));
        foreach (var sentence in show.Sentences)
        {
            var (single, parallel) = (FirstStartAfter(one, sentence.Start), FirstStartAfter(two, sentence.Start));
            Assert.True(Math.Abs(single - parallel) <= 100, $"'{sentence.Text}': one state {single} ms, two states {parallel} ms");
        }
    }

    [Fact(Timeout = 240_000)]
    public async Task Two_states_give_the_words_of_one_state_with_every_sentence_at_the_same_time_without_speech_detection()
    {
        // Arrange: 12 × (jfk.wav + 1 s of silence), 2 min 24 s: long enough for two parts of at least a minute.
        using var dir = TempDir.Create();
        var padded = dir.Combine("jfk-padded.wav");
        var speech = dir.Combine("jfk-x12.wav");
        await Cli.Wrap("sox").WithArguments(["-D", Paths.JfkWav, padded, "pad", "0", "1"]).ExecuteBufferedAsync();
        await Cli.Wrap("sox").WithArguments(["-D", padded, speech, "repeat", "11"]).ExecuteBufferedAsync();

        // Act
        var one = await TranscribeAsync(dir, speech, "--no-vad", "--parallel", "1");
        var two = await TranscribeAsync(dir, speech, "--no-vad", "--parallel", "2");

        // Assert
        Assert.Equal(WordsOf(one), WordsOf(two));
        Assert.Equal(12, WordsOf(one).Split(' ').Count(w => w == "fellow"));
        // The same sentence, said by a segment of the same words, starts at the same time in both: a part's offset is
        // exact, so a missing or wrong offset would leave no twin within 2 s. Whisper's own times drift by up to a second
        // or two late in a long decode, differently for a shorter part, so most twins, not all, agree within 0.1 s.
        var single = Segments(one);
        var pairs = Segments(two)
            .Select(t =>
                (
                    Two: t,
                    One: single
                        .Where(o => Words.Normalize(o.Text) == Words.Normalize(t.Text) && Math.Abs(o.StartMs - t.StartMs) <= 2000)
                        .Select(o => ((long StartMs, string Text)?)o)
                        .FirstOrDefault()
                )
            )
            .Where(p => p.One is not null)
            .Select(p => (p.Two.Text, One: p.One!.Value.StartMs, Two: p.Two.StartMs))
            .ToList();
        var report = string.Join("; ", pairs.Select(p => $"{p.One} / {p.Two} ms"));
        Assert.True(pairs.Count >= single.Count * 3 / 4, $"{pairs.Count} of {single.Count} segments have a twin: {report}");
        Assert.True(pairs.Count(p => Math.Abs(p.One - p.Two) <= 100) >= pairs.Count * 4 / 5, report);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("17")]
    [InlineData("many")]
    public async Task A_parallel_setting_that_is_not_auto_or_1_to_16_is_a_usage_error_naming_it(string value)
    {
        // Act
        var flag = await Cast2mdBinary.RunAsync("transcribe", Paths.JfkWav, "--model", Paths.StandInModel, "--parallel", value);
        var variable = await Cli.Wrap(Cast2mdBinary.Path)
            .WithArguments(["transcribe", Paths.JfkWav, "--model", Paths.StandInModel])
            .WithEnvironmentVariables(e => e.Set("WHISPER_PARALLEL", value))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();

        // Assert
        Assert.Equal(2, flag.ExitCode);
        Assert.Contains($"--parallel '{value}' is not auto or a number of whisper states from 1 to 16", flag.StandardError);
        Assert.Equal(2, variable.ExitCode);
        Assert.Contains($"WHISPER_PARALLEL '{value}' is not auto", variable.StandardError);
    }
}
