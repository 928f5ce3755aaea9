using System.Net;
using Cast2md.Tests.Api;
using Cast2md.Tests.Infra;
using CliWrap;
using CliWrap.Buffered;
using Xunit;

namespace Cast2md.Tests.Search;

/// <summary>The same search through GET /api/search (a real Kestrel server) and the published `cast2md search`.</summary>
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed class SearchSurfaceSpecs
{
    [Fact(Timeout = 20000)]
    public async Task The_api_answers_a_page_of_hits_in_the_documented_shape()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var feed = server.AddFeed("Api Cast");
        var episode = server.AddEpisode(feed.Id, "Lighthouses", publishedAt: new DateTimeOffset(2025, 2, 1, 0, 0, 0, TimeSpan.Zero));
        await SearchData.CommitTranscriptAsync(server.Core, episode, "Intro.", "Keepers of the lighthouse.");

        // Act
        var page = await ApiAssert.StatusAsync(
            HttpStatusCode.OK,
            await server.GetAsync($"/api/search?q=lighthouse&feed={feed.Id}&since=2025-01-01&limit=5&offset=0")
        );

        // Assert
        ApiAssert.Keys(page, "query", "limit", "offset", "has_more", "results");
        var hit = page.GetProperty("results")[0];
        ApiAssert.Keys(hit, "kind", "episode_id", "episode_title", "feed_id", "feed_title", "start_ms", "end_ms", "start", "snippet", "published_at");
        Assert.Equal(
            ("segment", episode.Id, 10_000L, "00:00:10"),
            (
                hit.GetProperty("kind").GetString(),
                hit.GetProperty("episode_id").GetInt64(),
                hit.GetProperty("start_ms").GetInt64(),
                hit.GetProperty("start").GetString()
            )
        );
        Assert.Equal("Keepers of the **lighthouse**.", hit.GetProperty("snippet").GetString());
    }

    [Theory(Timeout = 20000)]
    [InlineData("", "empty")]
    [InlineData("%22", "no words")]
    [InlineData("NEAR(%22a", "")]
    [InlineData("-x", "only excludes")]
    public async Task Hostile_or_empty_queries_get_a_400_or_a_sane_page_never_a_500(string q, string detail)
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();

        // Act
        var response = await server.GetAsync($"/api/search?q={q}");

        // Assert
        if (detail.Length == 0)
            Assert.Equal(0, (await ApiAssert.StatusAsync(HttpStatusCode.OK, response)).GetProperty("results").GetArrayLength());
        else
            await ApiAssert.ErrorAsync(HttpStatusCode.BadRequest, response, detail);
    }

    [Fact(Timeout = 20000)]
    public async Task The_api_refuses_a_long_query_and_a_bad_date_with_a_sentence()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();

        // Act
        var huge = await server.GetAsync("/api/search?q=" + new string('a', 2_000));
        var tenKilobytes = await server.GetAsync("/api/search?q=" + new string('a', 10_240));
        var date = await server.GetAsync("/api/search?q=word&since=yesterday");

        // Assert
        await ApiAssert.ErrorAsync(HttpStatusCode.BadRequest, huge, "at most 1000");
        await ApiAssert.ErrorAsync(HttpStatusCode.BadRequest, date, "YYYY-MM-DD");
        // Kestrel refuses a request line over 8 KB before any handler runs.
        Assert.True((int)tenKilobytes.StatusCode is >= 400 and < 500, $"got {(int)tenKilobytes.StatusCode}");
    }

    [Fact(Timeout = 60000)]
    public async Task The_cli_prints_hits_as_text_or_json_and_exits_2_on_a_bad_query()
    {
        // Arrange
        using var data = new SearchData();
        var feed = data.AddFeed("Cli Cast");
        var episode = data.AddEpisode(feed, "Volcanoes");
        await data.TranscribeAsync(episode, "Lava flows.", "The volcano sleeps.");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        // Act
        var text = await Run(data, "search", "volcano");
        var json = await Run(data, "search", "volcano", "--json", "--feed", feed.Id.ToString());
        var bad = await Run(data, "search", "^ *");
        var reindex = await Run(data, "search", "reindex");

        // Assert
        Assert.Equal(0, text.ExitCode);
        Assert.Contains($"episode {episode.Id} at 00:00:10", text.StandardOutput);
        Assert.Contains("The **volcano** sleeps.", text.StandardOutput);
        Assert.Equal(0, json.ExitCode);
        Assert.Equal(episode.Id, Cast2md.Tests.CommandLine.CliData.Json(json).GetProperty("results")[0].GetProperty("episode_id").GetInt64());
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("no words", bad.StandardError);
        Assert.Equal("", bad.StandardOutput);
        Assert.Equal(0, reindex.ExitCode);
        Assert.Contains("Indexed 2 segments of 1 episode.", reindex.StandardOutput);
    }

    private static Task<BufferedCommandResult> Run(SearchData data, params string[] arguments) =>
        Cast2mdBinary.Command([.. arguments, "--data-dir", data.DataDir]).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
}
