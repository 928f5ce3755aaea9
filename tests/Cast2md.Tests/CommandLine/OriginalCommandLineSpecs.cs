using Cast2md.Queue;
using Cast2md.Tests.Infra;
using CliWrap;
using CliWrap.Buffered;
using Xunit;

namespace Cast2md.Tests.CommandLine;

/// <summary>The original cast2md's command lines and path variables, run through the published binary.</summary>
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed class OriginalCommandLineSpecs
{
    [Fact(Timeout = 30_000)]
    public async Task I_can_start_the_server_with_the_originals_dash_h_host_and_it_serves_instead_of_printing_help()
    {
        // Arrange
        using var dir = TempDir.Create();
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();

        // Act
        var serve = Cast2mdBinary
            .Command(["serve", "-h", "127.0.0.1", "--port", "0", "--data-dir", dir.Combine("data")], CliData.Environment)
            .WithStandardErrorPipe(
                PipeTarget.ToDelegate(line =>
                {
                    if (line.Contains("listening on http://127.0.0.1:", StringComparison.Ordinal))
                        listening.TrySetResult(line);
                })
            )
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(CancellationToken.None, stop.Token);
        var announced = await Task.WhenAny(listening.Task, serve.Task, Task.Delay(TimeSpan.FromSeconds(20)));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => serve.Task);

        // Assert
        Assert.Same(listening.Task, announced);
    }

    [Fact(Timeout = 30_000)]
    public async Task I_still_get_the_help_from_serve_dash_h_alone()
    {
        // Act
        var help = await Cast2mdBinary.RunAsync("serve", "-h");

        // Assert
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("--host", help.StandardOutput);
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_create_the_database_with_init_db_and_running_it_again_changes_nothing()
    {
        // Arrange
        using var dir = TempDir.Create();
        var data = dir.Combine("data");

        // Act
        var first = await Cast2mdBinary.RunAsync(CliData.Environment, "init-db", "--data-dir", data);
        var second = await Cast2mdBinary.RunAsync(CliData.Environment, "init-db", "--data-dir", data);

        // Assert
        Assert.Equal(0, first.ExitCode);
        Assert.Equal(Path.Combine(data, "cast2md.db"), first.StandardOutput.Trim());
        Assert.True(File.Exists(Path.Combine(data, "cast2md.db")));
        Assert.Equal(0, second.ExitCode);
        Assert.Equal(first.StandardOutput, second.StandardOutput);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("DATABASE_URL", "postgresql://cast2md:secret@localhost:5432/cast2md")]
    [InlineData("STORAGE_PATH", "/mnt/nas/cast2md")]
    [InlineData("TEMP_DOWNLOAD_PATH", "/tmp/cast2md")]
    public async Task I_am_told_what_replaces_the_originals_path_variable_and_the_server_does_not_start_elsewhere(string variable, string value)
    {
        // Arrange
        using var dir = TempDir.Create();
        var data = dir.Combine("data");
        var environment = new Dictionary<string, string?>(CliData.Environment) { [variable] = value };

        // Act
        var serve = await Cast2mdBinary.Command(["serve", "--port", "0", "--data-dir", data], environment).ExecuteBufferedAsync();
        var initDb = await Cast2mdBinary.Command(["init-db", "--data-dir", data], environment).ExecuteBufferedAsync();

        // Assert
        Assert.Equal(2, serve.ExitCode);
        Assert.Contains($"{variable} (set in the environment) is the original cast2md's setting", serve.StandardError);
        Assert.Contains(variable == "TEMP_DOWNLOAD_PATH" ? "tmp/" : "CAST2MD_DATA_DIR", serve.StandardError);
        Assert.Equal(2, initDb.ExitCode);
        Assert.False(Directory.Exists(data));
    }

    [Fact(Timeout = 30_000)]
    public async Task I_am_told_when_the_originals_env_file_in_the_working_folder_names_its_storage_path()
    {
        // Arrange
        using var dir = TempDir.Create();
        await File.WriteAllTextAsync(dir.Combine(".env"), "DATABASE_URL=\nSTORAGE_PATH=/mnt/nas/cast2md\nWHISPER_MODEL=base\n");

        // Act
        var serve = await Cast2mdBinary
            .Command(["serve", "--port", "0", "--data-dir", dir.Combine("data")], CliData.Environment, dir.Path)
            .ExecuteBufferedAsync();
        var status = await Cast2mdBinary.Command(["status", "--data-dir", dir.Combine("data")], CliData.Environment, dir.Path).ExecuteBufferedAsync();

        // Assert
        Assert.Equal(2, serve.ExitCode);
        Assert.Contains($"STORAGE_PATH (set in {dir.Combine(".env")})", serve.StandardError);
        Assert.Equal(0, status.ExitCode);
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_process_and_transcribe_an_episode_with_the_originals_dash_t()
    {
        // Arrange
        using var data = new CliData();
        var feed = data.AddFeed();
        var toProcess = data.AddEpisode(feed, "To Process");
        var downloaded = data.AddEpisode(feed, "Has Audio");
        data.Core.Episodes.SetAudio(downloaded.Id, "audio/Test/has-audio.mp3");

        // Act
        var process = await data.RunAsync("process", toProcess.Id.ToString(), "-t");
        var transcribe = await data.RunAsync("transcribe", downloaded.Id.ToString(), "-t");
        var contradiction = await data.RunAsync("transcribe", downloaded.Id.ToString(), "--timestamps", "--no-timestamps");

        // Assert
        Assert.Equal(0, process.ExitCode);
        Assert.Single(data.Core.Jobs.List(JobStatus.Queued, JobType.Download, toProcess.Id));
        Assert.Equal(0, transcribe.ExitCode);
        Assert.Single(data.Core.Jobs.List(JobStatus.Queued, JobType.Transcribe, downloaded.Id));
        Assert.Equal(2, contradiction.ExitCode);
        Assert.Contains("--timestamps and --no-timestamps", contradiction.StandardError);
    }

    [Fact(Timeout = 60_000)]
    public async Task I_can_transcribe_a_file_with_dash_t_still_meaning_threads()
    {
        // Act
        var result = await Cast2mdBinary.RunAsync(
            CliData.Environment,
            "transcribe",
            Paths.JfkWav,
            "-t",
            "1",
            "--no-vad",
            "--progress",
            "none",
            "-f",
            "txt"
        );

        // Assert
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("country", result.StandardOutput, StringComparison.OrdinalIgnoreCase);
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_give_the_originals_short_options_to_node_start_and_node_unregister()
    {
        // Arrange: a HOME with no node registered, so both commands get past parsing and stop at the missing node.json.
        using var home = TempDir.Create();
        var environment = new Dictionary<string, string?>(CliData.Environment) { ["HOME"] = home.Path, ["CAST2MD_NODE_CONFIG"] = null };

        // Act
        var start = await Cast2mdBinary.RunAsync(environment, "node", "start", "-p", "0");
        var unregister = await Cast2mdBinary.RunAsync(environment, "node", "unregister", "-f");

        // Assert
        Assert.Equal(1, start.ExitCode);
        Assert.Contains("node.json", start.StandardError);
        Assert.Equal(1, unregister.ExitCode);
        Assert.Contains("not registered", unregister.StandardError);
    }
}
