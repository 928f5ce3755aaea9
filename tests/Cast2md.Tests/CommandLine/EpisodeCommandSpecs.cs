using Cast2md.Queue;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.CommandLine;

/// <summary>cast2md episode list|show|transcript against the published binary.</summary>
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed class EpisodeCommandSpecs
{
    [Fact(Timeout = 30_000)]
    public async Task I_can_list_a_feeds_episodes_newest_first()
    {
        // Arrange
        using var data = new CliData();
        var feed = data.AddFeed();
        data.AddEpisode(feed, "January", publishedAt: new DateTimeOffset(2024, 1, 10, 0, 0, 0, TimeSpan.Zero));
        data.AddEpisode(feed, "March", publishedAt: new DateTimeOffset(2024, 3, 10, 0, 0, 0, TimeSpan.Zero));

        // Act
        var result = await data.RunAsync("episode", "list", feed.Id.ToString());

        // Assert
        Assert.Equal(0, result.ExitCode);
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Contains("March", lines[1]);
        Assert.Contains("2024-03-10", lines[1]);
        Assert.Contains("January", lines[2]);
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_list_episodes_in_one_status_as_json()
    {
        // Arrange
        using var data = new CliData();
        var feed = data.AddFeed();
        data.AddEpisode(feed, "Still New");
        await data.AddTranscriptAsync(data.AddEpisode(feed, "Finished"), feed);

        // Act
        var result = await data.RunAsync("episode", "list", feed.Id.ToString(), "--status", "completed", "--json");

        // Assert
        Assert.Equal(0, result.ExitCode);
        var json = CliData.Json(result);
        Assert.Equal(1, json.GetProperty("total").GetInt32());
        var episode = Assert.Single(json.GetProperty("episodes").EnumerateArray());
        Assert.Equal("Finished", episode.GetProperty("title").GetString());
        Assert.Equal("completed", episode.GetProperty("status").GetString());
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_try_to_list_with_an_unknown_status_and_get_exit_code_2()
    {
        // Arrange
        using var data = new CliData();
        var feed = data.AddFeed();

        // Act
        var result = await data.RunAsync("episode", "list", feed.Id.ToString(), "--status", "done");

        // Assert
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("needs_audio", result.StandardError);
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_show_an_episode_with_its_jobs()
    {
        // Arrange
        using var data = new CliData();
        var feed = data.AddFeed();
        var episode = data.AddEpisode(feed, "Interview");
        var job = data.Core.Queue.QueueDownload(episode.Id);

        // Act
        var human = await data.RunAsync("episode", "show", episode.Id.ToString());
        var json = await data.RunAsync("episode", "show", episode.Id.ToString(), "--json");

        // Assert
        Assert.Equal(0, human.ExitCode);
        Assert.Contains($"Episode {episode.Id}: Interview", human.StandardOutput);
        Assert.Contains("download", human.StandardOutput);
        var jobs = CliData.Json(json).GetProperty("jobs");
        Assert.Equal(job.Id, Assert.Single(jobs.EnumerateArray()).GetProperty("id").GetInt64());
        Assert.Equal("queued", jobs[0].GetProperty("status").GetString());
        Assert.Equal(JobStatus.Queued, data.Core.Jobs.Get(job.Id)!.Status);
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_try_to_show_an_unknown_episode_and_get_exit_code_1()
    {
        // Arrange
        using var data = new CliData();

        // Act
        var result = await data.RunAsync("episode", "show", "999");

        // Assert
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Episode 999 not found", result.StandardError);
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_print_an_episodes_transcript_in_another_format()
    {
        // Arrange
        using var data = new CliData();
        var feed = data.AddFeed();
        var episode = await data.AddTranscriptAsync(data.AddEpisode(feed, "Talk"), feed, "Words worth keeping.");

        // Act
        var markdown = await data.RunAsync("episode", "transcript", episode.Id.ToString());
        var srt = await data.RunAsync("episode", "transcript", episode.Id.ToString(), "--format", "srt");

        // Assert
        Assert.Equal(0, markdown.ExitCode);
        Assert.StartsWith("# Talk", markdown.StandardOutput);
        Assert.Contains("Words worth keeping.", markdown.StandardOutput);
        Assert.Equal(0, srt.ExitCode);
        Assert.StartsWith("1\n00:00:00,000 --> 00:00:02,000\nWords worth keeping.", srt.StandardOutput);
    }
}
