using System.Diagnostics;
using Cast2md.Tests.Infra;
using Cast2md.Tests.Media;
using CliWrap;
using Xunit;

namespace Cast2md.Tests.CommandLine;

/// <summary>Bad input gets a clear message on stderr, a meaningful exit code, and no half-written output.</summary>
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed class TranscribeErrorSpecs
{
    [Fact]
    public async Task I_get_exit_code_2_for_an_unknown_option()
    {
        // Act
        var result = await Cast2mdBinary.RunAsync("transcribe", Paths.JfkWav, "--no-such-option");

        // Assert
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.StandardOutput);
    }

    [Fact]
    public async Task I_get_exit_code_2_for_an_unknown_command()
    {
        // Act
        var result = await Cast2mdBinary.RunAsync("transcrbe", Paths.JfkWav);

        // Assert
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown command", result.StandardError);
    }

    [Fact]
    public async Task I_get_exit_code_2_for_an_unknown_format()
    {
        // Act
        var result = await Cast2mdBinary.RunAsync("transcribe", Paths.JfkWav, "--model", Paths.StandInModel, "--format", "docx");

        // Assert
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("docx", result.StandardError);
    }

    [Fact]
    public async Task I_get_a_clear_error_for_a_file_that_does_not_exist()
    {
        // Arrange
        using var dir = TempDir.Create();
        var output = dir.Combine("out.md");

        // Act
        var result = await Cast2mdBinary.RunAsync("transcribe", dir.Combine("nope.mp3"), "--model", Paths.StandInModel, "-o", output);

        // Assert
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("nope.mp3", result.StandardError);
        Assert.DoesNotContain("   at ", result.StandardError);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task I_get_a_clear_error_for_a_file_that_is_not_audio()
    {
        // Arrange
        using var dir = TempDir.Create();
        var notAudio = dir.Combine("notes.mp3");
        await File.WriteAllTextAsync(notAudio, "this is a text file, not an mp3\n");
        var output = dir.Combine("out.md");

        // Act
        var result = await Cast2mdBinary.RunAsync("transcribe", notAudio, "--model", Paths.StandInModel, "-o", output);

        // Assert
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("notes.mp3", result.StandardError);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task I_get_a_clear_error_when_ffmpeg_is_missing()
    {
        // Act
        var result = await Cast2mdBinary.RunAsync(
            new Dictionary<string, string?> { ["CAST2MD_FFMPEG"] = "/nonexistent/ffmpeg" },
            "transcribe",
            Paths.JfkWav,
            "--model",
            Paths.StandInModel
        );

        // Assert
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("ffmpeg", result.StandardError);
        Assert.Contains("CAST2MD_FFMPEG", result.StandardError);
    }

    [Fact]
    public async Task I_get_a_clear_error_for_a_model_path_that_does_not_exist()
    {
        // Act
        var result = await Cast2mdBinary.RunAsync("transcribe", Paths.JfkWav, "--model", "/nonexistent/ggml-x.bin");

        // Assert
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("/nonexistent/ggml-x.bin", result.StandardError);
    }

    [Fact]
    public async Task I_get_one_clear_message_naming_what_to_run_when_libwhisper_is_missing()
    {
        // Arrange: the binary alone, without the libraries that normally sit beside it.
        using var dir = TempDir.Create();
        var lonely = dir.Combine("cast2md");
        File.Copy(Cast2mdBinary.Path, lonely);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(lonely, File.GetUnixFileMode(Cast2mdBinary.Path));

        // Act
        var result = await CliWrap.Buffered.BufferedCommandExtensions.ExecuteBufferedAsync(
            CliWrap
                .Cli.Wrap(lonely)
                .WithArguments(["transcribe", Paths.JfkWav, "--model", Paths.StandInModel, "--vad-model", Paths.VadModel])
                .WithEnvironmentVariables(e => e.Set("CAST2MD_WHISPER_LIB", null))
                .WithValidation(CommandResultValidation.None)
        );

        // Assert
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("make setup", result.StandardError);
        Assert.DoesNotContain("   at ", result.StandardError);
    }

    [Fact]
    public async Task I_can_interrupt_a_transcription_and_get_exit_code_130_and_no_output_file()
    {
        // Arrange: five minutes of noise keeps the stand-in model busy long enough to interrupt (with --no-vad: voice-activity
        // detection would skip the noise).
        using var dir = TempDir.Create();
        var noise = await TestAudio.GenerateAsync(dir, "noise.wav", "-f", "lavfi", "-i", "anoisesrc=r=16000:a=0.3:c=pink", "-t", "300");
        var output = dir.Combine("out.md");
        var firstProgress = new TaskCompletionSource();

        // Act
        var command = Cast2mdBinary
            .Command(["transcribe", noise, "--model", Paths.StandInModel, "--no-vad", "--progress", "json", "-o", output])
            .WithStandardErrorPipe(
                PipeTarget.ToDelegate(line =>
                {
                    if (line.Contains("\"progress\""))
                        firstProgress.TrySetResult();
                })
            );
        var task = command.ExecuteAsync();
        await firstProgress.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var clock = Stopwatch.StartNew();
        Process.Start("kill", ["-INT", task.ProcessId.ToString()])!.WaitForExit();
        var result = await task.Task.WaitAsync(TimeSpan.FromSeconds(20));

        // Assert
        Assert.Equal(130, result.ExitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed} to stop");
        Assert.DoesNotContain(Directory.GetFiles(dir.Path), f => !f.EndsWith("noise.wav"));
    }
}
