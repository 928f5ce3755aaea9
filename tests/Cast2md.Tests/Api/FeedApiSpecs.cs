using System.IO.Compression;
using System.Net;
using System.Text.Json;
using Xunit;

namespace Cast2md.Tests.Api;

public sealed class FeedApiSpecs
{
    [Fact(Timeout = 20000)]
    public async Task I_can_list_feeds_with_their_episode_and_status_counts()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var feed = server.AddFeed("Alpha Cast");
        server.AddFeed("Beta Cast");
        var done = server.AddEpisode(feed.Id, "Done");
        await server.GiveTranscriptAsync(done);
        server.AddEpisode(feed.Id, "Fresh");

        // Act
        var json = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.GetAsync("/api/feeds"));

        // Assert
        ApiAssert.Keys(json, "feeds");
        var feeds = json.GetProperty("feeds").EnumerateArray().ToList();
        Assert.Equal(["Alpha Cast", "Beta Cast"], feeds.Select(f => f.GetProperty("title").GetString()));
        var alpha = feeds[0];
        Assert.Equal(2, alpha.GetProperty("episode_count").GetInt32());
        Assert.Equal(1, alpha.GetProperty("status_counts").GetProperty("completed").GetInt32());
        Assert.Equal(1, alpha.GetProperty("status_counts").GetProperty("new").GetInt32());
        Assert.Equal(0, feeds[1].GetProperty("episode_count").GetInt32());
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_get_a_feed_with_every_field_in_snake_case_and_times_in_utc()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var feed = server.AddFeed("Alpha Cast", "https://example.test/alpha.xml");
        server.AddEpisode(feed.Id);

        // Act
        var json = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.GetAsync($"/api/feeds/{feed.Id}"));

        // Assert
        ApiAssert.Keys(
            json,
            "id",
            "url",
            "title",
            "description",
            "image_url",
            "custom_title",
            "display_title",
            "author",
            "link",
            "categories",
            "last_polled",
            "last_error",
            "episode_count",
            "status_counts",
            "created_at",
            "updated_at"
        );
        Assert.Equal(feed.Id, json.GetProperty("id").GetInt64());
        Assert.Equal("https://example.test/alpha.xml", json.GetProperty("url").GetString());
        Assert.Equal("Alpha Cast", json.GetProperty("display_title").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("custom_title").ValueKind);
        Assert.Equal(["Technology", "News"], json.GetProperty("categories").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(1, json.GetProperty("episode_count").GetInt32());
        Assert.Equal(1, json.GetProperty("status_counts").GetProperty("new").GetInt32());
        var created = ApiAssert.IsoUtc(json.GetProperty("created_at"));
        Assert.True(Math.Abs((DateTimeOffset.UtcNow - created).TotalMinutes) < 5);
        ApiAssert.IsoUtc(json.GetProperty("updated_at"));
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_try_to_get_a_feed_that_does_not_exist_and_get_a_404()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();

        // Act
        var response = await server.GetAsync("/api/feeds/999");

        // Assert
        await ApiAssert.ErrorAsync(HttpStatusCode.NotFound, response, "Feed 999 not found");
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_rename_a_feed_and_clear_its_custom_title_again()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var feed = server.AddFeed("Alpha Cast");

        // Act
        var renamed = await ApiAssert.StatusAsync(
            HttpStatusCode.OK,
            await server.SendJsonAsync(HttpMethod.Patch, $"/api/feeds/{feed.Id}", """{"custom_title": "My Alpha"}""")
        );
        var cleared = await ApiAssert.StatusAsync(
            HttpStatusCode.OK,
            await server.SendJsonAsync(HttpMethod.Patch, $"/api/feeds/{feed.Id}", """{"custom_title": null}""")
        );

        // Assert
        Assert.Equal("My Alpha", renamed.GetProperty("custom_title").GetString());
        Assert.Equal("My Alpha", renamed.GetProperty("display_title").GetString());
        Assert.Equal("Alpha Cast", renamed.GetProperty("title").GetString());
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("custom_title").ValueKind);
        Assert.Equal("Alpha Cast", cleared.GetProperty("display_title").GetString());
        await ApiAssert.ErrorAsync(
            HttpStatusCode.NotFound,
            await server.SendJsonAsync(HttpMethod.Patch, "/api/feeds/999", """{"custom_title": "x"}""")
        );
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_delete_a_feed_and_its_files_go_to_the_trash()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var feed = server.AddFeed("Alpha Cast");
        var episode = await server.GiveTranscriptAsync(server.AddEpisode(feed.Id));

        // Act
        var json = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.SendJsonAsync(HttpMethod.Delete, $"/api/feeds/{feed.Id}"));

        // Assert
        Assert.Contains("deleted", json.GetProperty("message").GetString());
        Assert.Null(server.Core.Feeds.Get(feed.Id));
        Assert.False(File.Exists(server.Core.Layout.Resolve(episode.TranscriptPath!)));
        Assert.True(Directory.Exists(server.Core.Layout.TrashDirectory));
        await ApiAssert.ErrorAsync(HttpStatusCode.NotFound, await server.GetAsync($"/api/feeds/{feed.Id}"));
        await ApiAssert.ErrorAsync(HttpStatusCode.NotFound, await server.SendJsonAsync(HttpMethod.Delete, $"/api/feeds/{feed.Id}"));
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_page_through_a_feeds_episodes_newest_first()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var feed = server.AddFeed();
        for (var i = 1; i <= 5; i++)
            server.AddEpisode(feed.Id, $"Episode {i}", publishedAt: DateTimeOffset.UtcNow.AddDays(-10 + i));

        // Act
        var first = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.GetAsync($"/api/feeds/{feed.Id}/episodes?limit=2"));
        var second = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.GetAsync($"/api/feeds/{feed.Id}/episodes?limit=2&offset=2"));

        // Assert
        ApiAssert.Keys(first, "episodes", "total");
        Assert.Equal(5, first.GetProperty("total").GetInt32());
        Assert.Equal(["Episode 5", "Episode 4"], first.GetProperty("episodes").EnumerateArray().Select(e => e.GetProperty("title").GetString()));
        Assert.Equal(["Episode 3", "Episode 2"], second.GetProperty("episodes").EnumerateArray().Select(e => e.GetProperty("title").GetString()));
        await ApiAssert.ErrorAsync(HttpStatusCode.NotFound, await server.GetAsync("/api/feeds/999/episodes"));
        await ApiAssert.ErrorAsync(HttpStatusCode.BadRequest, await server.GetAsync($"/api/feeds/{feed.Id}/episodes?limit=0"));
    }

    [Theory(Timeout = 20000)]
    [InlineData("md", "# Episode A")]
    [InlineData("txt", "Hello and welcome")]
    [InlineData("srt", "00:00:00,000 --> 00:00:02,500")]
    [InlineData("vtt", "WEBVTT")]
    [InlineData("json", "\"segments\"")]
    public async Task I_can_export_all_transcripts_of_a_feed_as_a_zip_in_each_format(string format, string expected)
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var feed = server.AddFeed("Alpha Cast");
        await server.GiveTranscriptAsync(server.AddEpisode(feed.Id, "Episode A"));
        await server.GiveTranscriptAsync(server.AddEpisode(feed.Id, "Episode B"));
        server.AddEpisode(feed.Id, "No transcript yet");

        // Act
        var response = await server.GetAsync($"/api/feeds/{feed.Id}/export?format={format}");

        // Assert
        await ApiAssert.StatusAsync(HttpStatusCode.OK, response);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(
            "Alpha_Cast_transcripts.zip",
            response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"')
        );
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        Assert.Equal(2, zip.Entries.Count);
        Assert.All(zip.Entries, e => Assert.EndsWith("." + format, e.Name));
        var texts = zip.Entries.Select(e => new StreamReader(e.Open()).ReadToEnd()).ToList();
        Assert.Contains(texts, t => t.Contains(expected));
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_try_to_export_with_an_unknown_format_or_without_transcripts_and_get_a_clear_error()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var feed = server.AddFeed();
        server.AddEpisode(feed.Id);

        // Act
        var badFormat = await server.GetAsync($"/api/feeds/{feed.Id}/export?format=docx");
        var nothing = await server.GetAsync($"/api/feeds/{feed.Id}/export?format=md");
        var noFeed = await server.GetAsync("/api/feeds/999/export");

        // Assert
        await ApiAssert.ErrorAsync(HttpStatusCode.BadRequest, badFormat, "docx");
        await ApiAssert.ErrorAsync(HttpStatusCode.NotFound, nothing, "no transcripts");
        await ApiAssert.ErrorAsync(HttpStatusCode.NotFound, noFeed);
    }

    [Theory(Timeout = 20000)]
    [InlineData("{}")]
    [InlineData("""{"url": ""}""")]
    [InlineData("""{"url": "not a url"}""")]
    [InlineData("""{"url": "ftp://example.test/feed.xml"}""")]
    public async Task I_can_try_to_add_a_feed_without_a_valid_url_and_get_a_400(string body)
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();

        // Act
        var response = await server.PostAsync("/api/feeds", body);

        // Assert
        await ApiAssert.ErrorAsync(HttpStatusCode.BadRequest, response);
        Assert.Empty(server.Core.Feeds.List());
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_try_to_refresh_a_feed_that_does_not_exist_and_get_a_404()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();

        // Act
        var response = await server.PostAsync("/api/feeds/999/refresh?auto_queue=false");

        // Assert
        await ApiAssert.ErrorAsync(HttpStatusCode.NotFound, response, "Feed 999");
    }
}
