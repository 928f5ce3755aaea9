using Cast2md.Tests.EndToEnd;
using Cast2md.Tests.Infra;
using CliWrap.Buffered;
using Xunit;

namespace Cast2md.Tests.CommandLine;

/// <summary>cast2md feed add|list|show|refresh|rename|rm against the published binary.</summary>
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed class FeedCommandSpecs
{
    [Fact(Timeout = 30_000)]
    public async Task I_can_add_a_feed_and_see_its_id_and_episode_count()
    {
        // Arrange
        await using var podcast = PodcastFixture.Serve();
        using var data = new CliData();

        // Act
        var result = await data.RunAsync("feed", "add", podcast.Url("/feed.xml").ToString());

        // Assert
        Assert.Equal(0, result.ExitCode);
        var feed = Assert.Single(data.Core.Feeds.List());
        Assert.Contains($"Added feed {feed.Id}: Speeches & Talks", result.StandardOutput);
        Assert.Contains("1 episode, 0 queued", result.StandardOutput);
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_add_a_feed_with_json_output()
    {
        // Arrange
        await using var podcast = PodcastFixture.Serve(withTranscript: true);
        using var data = new CliData();

        // Act
        var result = await data.RunAsync("feed", "add", podcast.Url("/feed.xml").ToString(), "--json");

        // Assert
        Assert.Equal(0, result.ExitCode);
        var json = CliData.Json(result);
        Assert.Equal("Speeches & Talks", json.GetProperty("feed").GetProperty("title").GetString());
        Assert.Equal(1, json.GetProperty("new_episodes").GetInt32());
        Assert.Equal(1, json.GetProperty("queued_episodes").GetInt32());
        Assert.Equal(1, json.GetProperty("feed").GetProperty("episode_count").GetInt32());
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_try_to_add_a_url_that_is_not_a_feed_and_get_exit_code_1()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        server.MapText("/page.html", "<html><body>not a feed</body></html>", "text/html");
        using var data = new CliData();

        // Act
        var result = await data.RunAsync("feed", "add", server.Url("/page.html").ToString());

        // Assert
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error:", result.StandardError);
        Assert.DoesNotContain("   at ", result.StandardError);
        Assert.Empty(data.Core.Feeds.List());
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_list_feeds_as_an_aligned_table_and_as_json()
    {
        // Arrange
        using var data = new CliData();
        var first = data.AddFeed("Alpha Cast");
        data.AddEpisode(first, "One");
        data.AddEpisode(first, "Two");
        data.AddFeed("Beta Show");

        // Act
        var human = await data.RunAsync("feed", "list");
        var json = await data.RunAsync("feed", "list", "--json");

        // Assert
        Assert.Equal(0, human.ExitCode);
        var lines = human.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("ID", lines[0]);
        Assert.Contains("Alpha Cast", lines[1]);
        Assert.Contains("Beta Show", lines[2]);
        Assert.Equal(lines[0].IndexOf("TITLE"), lines[1].IndexOf("Alpha Cast"));
        var feeds = CliData.Json(json).GetProperty("feeds");
        Assert.Equal(2, feeds.GetArrayLength());
        Assert.Equal(2, feeds[0].GetProperty("episode_count").GetInt32());
        Assert.Equal(2, feeds[0].GetProperty("status_counts").GetProperty("new").GetInt32());
        Assert.Equal("Alpha Cast", feeds[0].GetProperty("display_title").GetString());
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_show_a_feed_with_its_recent_episodes()
    {
        // Arrange
        using var data = new CliData();
        var feed = data.AddFeed("Alpha Cast");
        data.AddEpisode(feed, "Older", publishedAt: new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));
        data.AddEpisode(feed, "Newer", publishedAt: new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.Zero));

        // Act
        var human = await data.RunAsync("feed", "show", feed.Id.ToString());
        var json = await data.RunAsync("feed", "show", feed.Id.ToString(), "--json", "--limit", "1");

        // Assert
        Assert.Equal(0, human.ExitCode);
        Assert.Contains($"Feed {feed.Id}: Alpha Cast", human.StandardOutput);
        Assert.True(human.StandardOutput.IndexOf("Newer") < human.StandardOutput.IndexOf("Older"));
        var document = CliData.Json(json);
        Assert.Equal(2, document.GetProperty("total_episodes").GetInt32());
        Assert.Equal("Newer", Assert.Single(document.GetProperty("episodes").EnumerateArray()).GetProperty("title").GetString());
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_try_to_show_an_unknown_feed_and_get_exit_code_1_with_a_message()
    {
        // Arrange
        using var data = new CliData();

        // Act
        var result = await data.RunAsync("feed", "show", "42");

        // Assert
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Feed 42 not found", result.StandardError);
        Assert.Equal("", result.StandardOutput);
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_try_a_bad_option_value_and_get_exit_code_2()
    {
        // Arrange
        using var data = new CliData();

        // Act
        var notANumber = await data.RunAsync("feed", "show", "abc");
        var unknownOption = await data.RunAsync("feed", "list", "--colour");

        // Assert
        Assert.Equal(2, notANumber.ExitCode);
        Assert.Equal(2, unknownOption.ExitCode);
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_rename_a_feed_and_clear_the_custom_title()
    {
        // Arrange
        using var data = new CliData();
        var feed = data.AddFeed("Publisher Title");

        // Act
        var renamed = await data.RunAsync("feed", "rename", feed.Id.ToString(), "My Title", "--json");
        var afterRename = data.Core.Feeds.Get(feed.Id)!;
        var cleared = await data.RunAsync("feed", "rename", feed.Id.ToString(), "--clear");
        var neither = await data.RunAsync("feed", "rename", feed.Id.ToString());

        // Assert
        Assert.Equal(0, renamed.ExitCode);
        Assert.Equal("My Title", CliData.Json(renamed).GetProperty("display_title").GetString());
        Assert.Equal("My Title", afterRename.CustomTitle);
        Assert.Equal(0, cleared.ExitCode);
        Assert.Contains("Publisher Title", cleared.StandardOutput);
        Assert.Null(data.Core.Feeds.Get(feed.Id)!.CustomTitle);
        Assert.Equal(2, neither.ExitCode);
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_try_to_remove_a_feed_without_yes_from_a_script_and_it_refuses_without_waiting_for_input()
    {
        // Arrange
        using var data = new CliData();
        var feed = data.AddFeed();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        // Act (stdin is a pipe that stays open: a command reading it would hang)
        var result = await data.Command("feed", "rm", feed.Id.ToString())
            .WithStandardInputPipe(CliWrap.PipeSource.Create(async (_, ct) => await Task.Delay(Timeout.Infinite, ct)))
            .ExecuteBufferedAsync(deadline.Token);

        // Assert
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--yes", result.StandardError);
        Assert.NotNull(data.Core.Feeds.Get(feed.Id));
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_remove_a_feed_with_yes_and_its_transcripts_go_to_the_trash()
    {
        // Arrange
        using var data = new CliData();
        var feed = data.AddFeed("Doomed");
        var episode = await data.AddTranscriptAsync(data.AddEpisode(feed, "Last Words"), feed);

        // Act
        var result = await data.RunAsync("feed", "rm", feed.Id.ToString(), "--yes", "--json");

        // Assert
        Assert.Equal(0, result.ExitCode);
        Assert.Null(data.Core.Feeds.Get(feed.Id));
        Assert.Null(data.Core.Episodes.Get(episode.Id));
        var trash = CliData.Json(result).GetProperty("trash_path").GetString();
        Assert.NotNull(trash);
        Assert.NotEmpty(Directory.GetFiles(trash, "*.md", SearchOption.AllDirectories));
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_refresh_a_feed_and_see_its_new_episodes()
    {
        // Arrange
        await using var podcast = PodcastFixture.Serve();
        using var data = new CliData();
        var feed = data.AddFeed("Speeches", podcast.Url("/feed.xml").ToString());

        // Act
        var result = await data.RunAsync("feed", "refresh", feed.Id.ToString(), "--json");

        // Assert
        Assert.Equal(0, result.ExitCode);
        var row = Assert.Single(CliData.Json(result).GetProperty("results").EnumerateArray());
        Assert.Equal(1, row.GetProperty("new_episodes").GetInt32());
        Assert.Equal(JsonValueKindNull, row.GetProperty("error").ValueKind);
        Assert.Single(data.Core.Episodes.ListByFeed(feed.Id).Episodes);
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_refresh_all_feeds_and_get_exit_code_1_when_one_fails()
    {
        // Arrange
        await using var podcast = PodcastFixture.Serve();
        podcast.MapStatus("/gone.xml", 404);
        using var data = new CliData();
        data.AddFeed("Good", podcast.Url("/feed.xml").ToString());
        var bad = data.AddFeed("Bad", podcast.Url("/gone.xml").ToString());

        // Act
        var result = await data.RunAsync("feed", "refresh", "--all");

        // Assert
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"feed {bad.Id}", result.StandardError);
        Assert.Contains("failed", result.StandardOutput);
        Assert.Contains("ok", result.StandardOutput);
        Assert.NotNull(data.Core.Feeds.Get(bad.Id)!.LastError);
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_try_to_refresh_all_feeds_while_another_run_holds_the_lock_and_get_exit_code_75()
    {
        // Arrange
        using var data = new CliData();
        var lockFile = Path.Combine(data.DataDir, "locks", "feed-refresh.lock");
        Directory.CreateDirectory(Path.GetDirectoryName(lockFile)!);
        await using var held = new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

        // Act
        var result = await data.RunAsync("feed", "refresh", "--all");

        // Assert
        Assert.Equal(75, result.ExitCode);
        Assert.Contains("still running", result.StandardError);
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;
}
