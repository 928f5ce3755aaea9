using Cast2md.Tests.Infra;
using CliWrap.Buffered;
using Xunit;

namespace Cast2md.Tests.Settings;

/// <summary>
/// A setting written in a .env file reaches every command that reads it, not only the server: the published binary
/// runs with its own home and working directory, and nothing of the setting in its environment.
/// </summary>
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed class EnvFileReachSpecs
{
    [Fact(Timeout = 60_000)]
    public async Task The_models_folder_and_download_url_in_the_home_env_file_reach_transcribe_and_model_list()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        server.MapDirectory("/models", Path.Combine(Paths.Shared, "models"));
        using var dir = TempDir.Create();
        var home = Directory.CreateDirectory(dir.Combine("home", ".cast2md")).Parent!.FullName;
        var models = dir.Combine("from-env-file");
        File.WriteAllText(Path.Combine(home, ".cast2md", ".env"), $"CAST2MD_MODEL_BASE_URL={server.Url("/models/")}\nCAST2MD_MODELS_DIR={models}\n");
        var environment = new Dictionary<string, string?>
        {
            ["HOME"] = home,
            ["CAST2MD_MODELS_DIR"] = null,
            ["CAST2MD_MODEL_BASE_URL"] = null,
        };
        var work = Directory.CreateDirectory(dir.Combine("work")).FullName;

        // Act
        var transcribed = await Cast2mdBinary
            .Command(["transcribe", Paths.JfkWav, "--model", "tiny", "--compute-type", "int8", "-f", "txt"], environment, work)
            .ExecuteBufferedAsync();
        var listed = await Cast2mdBinary.Command(["model", "list", "--installed"], environment, work).ExecuteBufferedAsync();

        // Assert
        Assert.True(transcribed.ExitCode == 0, transcribed.StandardError);
        Assert.Equal(Words.Normalize(Paths.JfkReference), Words.Normalize(transcribed.StandardOutput));
        Assert.True(File.Exists(Path.Combine(models, "ggml-tiny-q8_0.bin")));
        Assert.Contains("ggml-tiny-q8_0.bin", listed.StandardOutput);
    }

    [Fact(Timeout = 30_000)]
    public async Task The_ffmpeg_named_in_the_working_directorys_env_file_is_the_one_transcribe_runs()
    {
        // Arrange
        using var dir = TempDir.Create();
        var home = Directory.CreateDirectory(dir.Combine("home")).FullName;
        var work = Directory.CreateDirectory(dir.Combine("work")).FullName;
        File.WriteAllText(Path.Combine(work, ".env"), "CAST2MD_FFMPEG=/nonexistent/from-env-file/ffmpeg\n");

        // Act
        var result = await Cast2mdBinary
            .Command(["transcribe", Paths.JfkWav, "--model", Paths.StandInModel], new Dictionary<string, string?> { ["HOME"] = home }, work)
            .ExecuteBufferedAsync();

        // Assert
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("/nonexistent/from-env-file/ffmpeg", result.StandardError);
    }

    [Fact(Timeout = 30_000)]
    public async Task The_environment_still_wins_over_both_env_files()
    {
        // Arrange
        using var dir = TempDir.Create();
        var home = Directory.CreateDirectory(dir.Combine("home", ".cast2md")).Parent!.FullName;
        var work = Directory.CreateDirectory(dir.Combine("work")).FullName;
        File.WriteAllText(Path.Combine(work, ".env"), "CAST2MD_FFMPEG=/nonexistent/work/ffmpeg\n");
        File.WriteAllText(Path.Combine(home, ".cast2md", ".env"), "CAST2MD_FFMPEG=/nonexistent/home/ffmpeg\n");

        // Act
        var fromHome = await Cast2mdBinary
            .Command(["transcribe", Paths.JfkWav, "--model", Paths.StandInModel], new Dictionary<string, string?> { ["HOME"] = home }, work)
            .ExecuteBufferedAsync();
        var fromEnvironment = await Cast2mdBinary
            .Command(
                ["transcribe", Paths.JfkWav, "--model", Paths.StandInModel],
                new Dictionary<string, string?> { ["HOME"] = home, ["CAST2MD_FFMPEG"] = "/nonexistent/process/ffmpeg" },
                work
            )
            .ExecuteBufferedAsync();

        // Assert: the per-user file beats the working directory's, the environment beats both
        Assert.Contains("/nonexistent/home/ffmpeg", fromHome.StandardError);
        Assert.Contains("/nonexistent/process/ffmpeg", fromEnvironment.StandardError);
    }
}
