using System.IO.Compression;
using Cast2md.DataFolder;
using Cast2md.Tests.Infra;
using CliWrap.Buffered;
using Xunit;

namespace Cast2md.Tests.CommandLine;

/// <summary>cast2md status and cast2md export against the published binary, alone and beside a running server.</summary>
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed class StatusAndExportSpecs
{
    [Fact(Timeout = 30_000)]
    public async Task I_can_see_the_status_of_a_data_folder_as_text_and_as_json()
    {
        // Arrange
        using var data = new CliData();
        var feed = data.AddFeed();
        data.AddEpisode(feed, "Pending");
        await data.AddTranscriptAsync(data.AddEpisode(feed, "Done"), feed);

        // Act
        var human = await data.RunAsync("status");
        var json = await data.RunAsync("status", "--json");

        // Assert
        Assert.Equal(0, human.ExitCode);
        Assert.Contains("Server:       not running", human.StandardOutput);
        Assert.Matches(@"completed\s+1", human.StandardOutput);
        var document = CliData.Json(json);
        Assert.Equal(1, document.GetProperty("feed_count").GetInt32());
        Assert.Equal(2, document.GetProperty("episode_counts").GetProperty("total").GetInt32());
        Assert.Equal(1, document.GetProperty("episode_counts").GetProperty("completed").GetInt32());
        Assert.False(document.GetProperty("server_running").GetBoolean());
        Assert.Equal(0, document.GetProperty("job_counts").GetProperty("transcript_download").GetProperty("queued").GetInt32());
    }

    [Fact(Timeout = 60_000)]
    public async Task I_can_use_the_commands_while_serve_runs_on_the_same_data_folder()
    {
        // Arrange
        using var data = new CliData();
        var feed = data.AddFeed("Shared Folder");
        var episode = data.AddEpisode(feed, "No Audio", audioUrl: null);
        await using var server = await ServeProcess.StartAsync(data.DataDir, CliData.Environment);

        // Act
        var status = await data.RunAsync("status", "--json");
        var rename = await data.RunAsync("feed", "rename", feed.Id.ToString(), "Renamed While Serving");
        var list = await data.RunAsync("episode", "list", feed.Id.ToString(), "--json");
        var process = await data.RunAsync("process", episode.Id.ToString());

        // Assert
        Assert.True(File.Exists(Path.Combine(data.DataDir, ServerInstance.FileName)));
        Assert.Equal(0, status.ExitCode);
        Assert.True(CliData.Json(status).GetProperty("server_running").GetBoolean());
        Assert.Equal(0, rename.ExitCode);
        Assert.Equal("Renamed While Serving", data.Core.Feeds.Get(feed.Id)!.CustomTitle);
        Assert.Equal(0, list.ExitCode);
        Assert.Equal(1, process.ExitCode);
        Assert.Contains("no audio enclosure", process.StandardError);
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_export_a_feeds_transcripts_as_a_zip()
    {
        // Arrange
        using var data = new CliData();
        var feed = data.AddFeed("Zipped Show");
        await data.AddTranscriptAsync(data.AddEpisode(feed, "First"), feed, "First words.");
        // Published before 1980, where zip timestamps begin.
        await data.AddTranscriptAsync(
            data.AddEpisode(feed, "Second", publishedAt: new DateTimeOffset(1961, 1, 20, 17, 0, 0, TimeSpan.Zero)),
            feed,
            "Second words."
        );
        data.AddEpisode(feed, "Untranscribed");
        var zipPath = data.Combine("out.zip");

        // Act
        var result = await data.RunAsync("export", feed.Id.ToString(), "--format", "txt", "-o", zipPath, "--json");

        // Assert
        Assert.Equal(0, result.ExitCode);
        var json = CliData.Json(result);
        Assert.Equal(2, json.GetProperty("transcripts").GetInt32());
        Assert.Equal(zipPath, json.GetProperty("path").GetString());
        using var zip = ZipFile.OpenRead(zipPath);
        Assert.Equal(2, zip.Entries.Count);
        Assert.All(zip.Entries, e => Assert.EndsWith(".txt", e.Name));
        using var reader = new StreamReader(zip.Entries.Single(e => e.Name.Contains("First")).Open());
        Assert.Contains("First words.", await reader.ReadToEndAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_export_to_the_default_file_name_in_the_current_folder()
    {
        // Arrange
        using var data = new CliData();
        var feed = data.AddFeed("Default Name");
        await data.AddTranscriptAsync(data.AddEpisode(feed, "Only"), feed);
        var folder = data.Combine("cwd");
        Directory.CreateDirectory(folder);

        // Act
        var result = await Cast2md
            .Tests.Infra.Cast2mdBinary.Command(["export", feed.Id.ToString(), "--data-dir", data.DataDir], CliData.Environment, folder)
            .ExecuteBufferedAsync();

        // Assert
        Assert.Equal(0, result.ExitCode);
        var file = Assert.Single(Directory.GetFiles(folder, "*.zip"));
        Assert.EndsWith("_transcripts.zip", file);
        Assert.Contains("Exported 1 transcript", result.StandardOutput);
        using var zip = ZipFile.OpenRead(file);
        Assert.EndsWith(".md", Assert.Single(zip.Entries).Name);
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_try_to_export_a_feed_without_transcripts_and_get_exit_code_1()
    {
        // Arrange
        using var data = new CliData();
        var feed = data.AddFeed();
        data.AddEpisode(feed, "Nothing yet");
        var zipPath = data.Combine("none.zip");

        // Act
        var result = await data.RunAsync("export", feed.Id.ToString(), "-o", zipPath);
        var badFormat = await data.RunAsync("export", feed.Id.ToString(), "--format", "docx");

        // Assert
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no transcripts", result.StandardError);
        Assert.False(File.Exists(zipPath));
        Assert.Equal(2, badFormat.ExitCode);
    }
}
