using System.Net;
using Cast2md.Library;
using Cast2md.Queue;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.Api;

/// <summary>Subscribing and refreshing through the API, against a feed served by the loopback fixture server.</summary>
public sealed class FeedSubscriptionApiSpecs
{
    private static string Rss(FixtureServer feedServer, params (string Guid, string Title, bool Transcript)[] items) =>
        $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0" xmlns:podcast="https://podcastindex.org/namespace/1.0">
          <channel>
            <title>Fixture Cast</title>
            <link>https://example.test/</link>
            <description>A feed for specs</description>
            {string.Concat(items.Select(i => $"""
                <item>
                  <title>{i.Title}</title>
                  <guid>{i.Guid}</guid>
                  <pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate>
                  <enclosure url="{feedServer.Url($"/audio/{i.Guid}.mp3")}" type="audio/mpeg" length="1000" />
                  {(i.Transcript ? $"""<podcast:transcript url="{feedServer.Url($"/t/{i.Guid}.vtt")}" type="text/vtt" />""" : "")}
                </item>
                """))}
          </channel>
        </rss>
        """;

    [Fact(Timeout = 20000)]
    public async Task I_can_subscribe_to_a_feed_and_get_a_201_with_the_feed_and_its_episodes_stored()
    {
        // Arrange
        await using var feedServer = FixtureServer.Start();
        feedServer.MapText("/feed.xml", Rss(feedServer, ("one", "First", true), ("two", "Second", false)), "application/rss+xml");
        await using var server = await ApiServer.StartAsync();

        // Act
        var response = await server.PostAsync("/api/feeds", $$"""{"url": "{{feedServer.Url("/feed.xml")}}"}""");

        // Assert
        var json = await ApiAssert.StatusAsync(HttpStatusCode.Created, response);
        var id = json.GetProperty("id").GetInt64();
        Assert.Equal($"/api/feeds/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("Fixture Cast", json.GetProperty("title").GetString());
        Assert.Equal(2, json.GetProperty("episode_count").GetInt32());
        var (episodes, _) = server.Core.Episodes.ListByFeed(id);
        var first = episodes.Single(e => e.Title == "First");
        Assert.Equal(JobType.TranscriptDownload, Assert.Single(server.Core.Jobs.List(episodeId: first.Id)).Type);
        Assert.Equal(EpisodeStatus.NeedsAudio, episodes.Single(e => e.Title == "Second").Status);
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_try_to_subscribe_to_the_same_feed_twice_and_get_a_409()
    {
        // Arrange
        await using var feedServer = FixtureServer.Start();
        feedServer.MapText("/feed.xml", Rss(feedServer, ("one", "First", false)), "application/rss+xml");
        await using var server = await ApiServer.StartAsync();
        var body = $$"""{"url": "{{feedServer.Url("/feed.xml")}}"}""";
        await ApiAssert.StatusAsync(HttpStatusCode.Created, await server.PostAsync("/api/feeds", body));

        // Act
        var response = await server.PostAsync("/api/feeds", body);

        // Assert
        await ApiAssert.ErrorAsync(HttpStatusCode.Conflict, response, "already subscribed");
        Assert.Single(server.Core.Feeds.List());
    }

    [Theory(Timeout = 20000)]
    [InlineData("/page.html")]
    [InlineData("/missing.xml")]
    public async Task I_can_try_to_subscribe_to_something_that_is_not_a_podcast_feed_and_get_a_400(string path)
    {
        // Arrange
        await using var feedServer = FixtureServer.Start();
        feedServer.MapText("/page.html", "<html><body>Not a feed</body></html>", "text/html");
        await using var server = await ApiServer.StartAsync();

        // Act
        var response = await server.PostAsync("/api/feeds", $$"""{"url": "{{feedServer.Url(path)}}"}""");

        // Assert
        await ApiAssert.ErrorAsync(HttpStatusCode.BadRequest, response);
        Assert.Empty(server.Core.Feeds.List());
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_refresh_a_feed_and_learn_how_many_episodes_are_new_and_queued()
    {
        // Arrange
        await using var feedServer = FixtureServer.Start();
        feedServer.MapText("/feed.xml", Rss(feedServer, ("one", "First", false)), "application/rss+xml");
        await using var server = await ApiServer.StartAsync();
        var created = await ApiAssert.StatusAsync(
            HttpStatusCode.Created,
            await server.PostAsync("/api/feeds", $$"""{"url": "{{feedServer.Url("/feed.xml")}}"}""")
        );
        var id = created.GetProperty("id").GetInt64();
        feedServer.MapText(
            "/feed.xml",
            Rss(feedServer, ("one", "First", false), ("two", "Second", true), ("three", "Third", true)),
            "application/rss+xml"
        );

        // Act
        var withoutQueue = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.PostAsync($"/api/feeds/{id}/refresh?auto_queue=false"));
        feedServer.MapText("/feed.xml", Rss(feedServer, ("four", "Fourth", true)), "application/rss+xml");
        var withQueue = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.PostAsync($"/api/feeds/{id}/refresh"));

        // Assert
        ApiAssert.Keys(withoutQueue, "new_episodes", "queued_episodes", "message");
        Assert.Equal((2, 0), (withoutQueue.GetProperty("new_episodes").GetInt32(), withoutQueue.GetProperty("queued_episodes").GetInt32()));
        Assert.Equal((1, 1), (withQueue.GetProperty("new_episodes").GetInt32(), withQueue.GetProperty("queued_episodes").GetInt32()));
        var feed = await ApiAssert.StatusAsync(HttpStatusCode.OK, await server.GetAsync($"/api/feeds/{id}"));
        ApiAssert.IsoUtc(feed.GetProperty("last_polled"));
        Assert.Equal(4, feed.GetProperty("episode_count").GetInt32());
    }
}
