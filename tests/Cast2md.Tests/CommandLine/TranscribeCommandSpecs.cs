using System.Text.Json;
using Cast2md.Tests.Infra;
using Cast2md.Tests.Media;
using Xunit;

namespace Cast2md.Tests.CommandLine;

/// <summary>The published ./bin/cast2md, run as a child process: what a user at a shell gets.</summary>
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed class TranscribeCommandSpecs
{
    [Fact]
    public async Task I_can_see_the_commands_in_the_help()
    {
        // Act
        var result = await Cast2mdBinary.RunAsync("--help");

        // Assert
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("transcribe", result.StandardOutput);
        Assert.Contains("model", result.StandardOutput);
    }

    [Theory]
    [InlineData("jfk.wav")]
    [InlineData("jfk.mp3")]
    public async Task I_can_transcribe_jfk_with_the_real_model_and_get_the_reference_words(string file)
    {
        // Act
        var result = await Cast2mdBinary.RunAsync(
            "transcribe",
            Path.Combine(Paths.Shared, "audio", file),
            "--model",
            Paths.RealModel,
            "--threads",
            "2"
        );

        // Assert
        Assert.True(result.ExitCode == 0, result.StandardError);
        var markdown = result.StandardOutput;
        Assert.StartsWith("# jfk\n\n*Language: en (", markdown);
        Assert.Contains("% confidence)*\n\n**[00:00]** ", markdown);
        var text = string.Join(
            ' ',
            markdown.Split('\n').Where(l => l.StartsWith("**[")).Select(l => l[(l.IndexOf("** ", StringComparison.Ordinal) + 3)..])
        );
        Assert.Equal(Words.Normalize(Paths.JfkReference), Words.Normalize(text));
    }

    [Fact]
    public async Task I_can_transcribe_in_short_chunks_and_keep_every_word_and_exact_times()
    {
        // Act: 4-second chunks force two cuts inside the 11-second speech; each cut must land in a pause.
        using var dir = TempDir.Create();
        var output = dir.Combine("jfk.json");
        var result = await Cast2mdBinary.RunAsync("transcribe", Paths.JfkWav, "--model", Paths.RealModel, "--chunk-minutes", "0.0667", "-o", output);

        // Assert
        Assert.True(result.ExitCode == 0, result.StandardError);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(output));
        var segments = json.RootElement.GetProperty("segments").EnumerateArray().ToList();
        Assert.True(segments.Count >= 2);
        var starts = segments.Select(s => s.GetProperty("start_ms").GetInt64()).ToList();
        Assert.Equal(starts.Order(), starts);
        Assert.True(segments[^1].GetProperty("end_ms").GetInt64() is > 8_000 and <= 11_100);
        var text = string.Join(' ', segments.Select(s => s.GetProperty("text").GetString()));
        Assert.Equal(Words.Normalize(Paths.JfkReference), Words.Normalize(text));
    }

    [Theory]
    [InlineData("out.srt", "1\n00:00:")]
    [InlineData("out.vtt", "WEBVTT")]
    [InlineData("out.json", "\"segments\"")]
    [InlineData("out.md", "**[00:00]**")]
    public async Task I_can_write_a_format_chosen_by_the_output_file_extension(string fileName, string expectedContent)
    {
        // Arrange
        using var dir = TempDir.Create();
        var output = dir.Combine(fileName);

        // Act
        var result = await Cast2mdBinary.RunAsync("transcribe", Paths.JfkWav, "--model", Paths.RealModel, "--output", output, "--beam-size", "1");

        // Assert
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal("", result.StandardOutput);
        Assert.Contains(expectedContent, await File.ReadAllTextAsync(output));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task I_can_follow_progress_as_json_lines_on_stderr()
    {
        // Arrange
        using var dir = TempDir.Create();

        // Act
        var result = await Cast2mdBinary.RunAsync(
            "transcribe",
            Paths.JfkWav,
            "--model",
            Paths.StandInModel,
            "--progress",
            "json",
            "-o",
            dir.Combine("t.txt"),
            "--beam-size",
            "1"
        );

        // Assert
        Assert.True(result.ExitCode == 0, result.StandardError);
        var events = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var percents = events.Where(e => e.GetProperty("event").GetString() == "progress").Select(e => e.GetProperty("percent").GetDouble()).ToList();
        Assert.NotEmpty(percents);
        Assert.Equal(percents.Order(), percents);
        Assert.Equal(100, percents[^1]);
        Assert.Equal("done", events[^1].GetProperty("event").GetString());
    }

    [Fact]
    public async Task I_can_transcribe_silence_and_get_an_empty_transcript_with_a_note()
    {
        // Arrange
        using var dir = TempDir.Create();
        var silence = await TestAudio.GenerateAsync(dir, "silence.wav", "-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-t", "5");

        // Act
        var result = await Cast2mdBinary.RunAsync("transcribe", silence, "--model", Paths.StandInModel);

        // Assert
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("*No speech detected*", result.StandardOutput);
        Assert.DoesNotContain("**[", result.StandardOutput);
    }

    [Fact]
    public async Task I_can_write_the_transcript_to_dev_stdout_and_dev_null_and_they_stay_devices()
    {
        // Act: as root, an atomic rename over them would turn them into ordinary files for every process
        var stdout = await Cast2mdBinary.RunAsync(
            "transcribe",
            Paths.JfkWav,
            "--model",
            Paths.StandInModel,
            "--no-vad",
            "--progress",
            "none",
            "-o",
            "/dev/stdout",
            "-f",
            "txt"
        );
        var devNull = await Cast2mdBinary.RunAsync(
            "transcribe",
            Paths.JfkWav,
            "--model",
            Paths.StandInModel,
            "--no-vad",
            "--progress",
            "none",
            "-o",
            "/dev/null",
            "-f",
            "txt"
        );

        // Assert
        Assert.True(stdout.ExitCode == 0, stdout.StandardError);
        Assert.Contains("No speech detected", stdout.StandardOutput);
        Assert.NotNull(new FileInfo("/dev/stdout").LinkTarget);
        Assert.True(devNull.ExitCode == 0, devNull.StandardError);
        Assert.Equal(0, new FileInfo("/dev/null").Length);
        Assert.Empty(Directory.EnumerateFiles("/dev", ".*.tmp"));
    }
}
