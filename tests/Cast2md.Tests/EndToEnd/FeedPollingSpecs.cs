using Cast2md.Library;
using Cast2md.Services;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.EndToEnd;

public sealed class FeedPollingSpecs
{
    private static string Feed(FixtureServer server, int items) =>
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Polled</title>"
        + string.Concat(
            Enumerable
                .Range(1, items)
                .Select(i =>
                    $"<item><title>Episode {i}</title><guid>g{i}</guid><enclosure url=\"{server.Url($"/a{i}.mp3")}\" type=\"audio/mpeg\"/></item>"
                )
        )
        + "</channel></rss>";

    [Fact(Timeout = 30_000)]
    public async Task I_can_poll_an_unchanged_feed_with_a_conditional_get_and_a_changed_one_brings_its_new_episodes()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        server.Map("/feed.xml", FixtureResponse.Text(Feed(server, 1), "application/rss+xml").WithETag("\"v1\""));
        using var dir = TempDir.Create();
        var core = Cast2mdCore.Open(dir.Combine("data"), _ => null);
        var added = await core.FeedService.AddAsync(server.Url("/feed.xml").ToString());

        // Act
        var unchanged = await core.FeedService.RefreshAsync(added.Feed.Id);
        server.Map("/feed.xml", FixtureResponse.Text(Feed(server, 2), "application/rss+xml").WithETag("\"v2\""));
        var changed = await core.FeedService.RefreshAsync(added.Feed.Id);

        // Assert
        Assert.True(unchanged.NotModified);
        Assert.Equal("\"v1\"", server.RequestsTo("/feed.xml")[1].Headers["If-None-Match"]);
        Assert.False(changed.NotModified);
        Assert.Equal(1, changed.NewEpisodes);
        Assert.Equal("\"v2\"", core.Feeds.Get(added.Feed.Id)!.ETag);
        // Without a publisher transcript and without AUTO_TRANSCRIBE an episode waits for a request.
        Assert.All(core.Episodes.ListByFeed(added.Feed.Id).Episodes, e => Assert.Equal(EpisodeStatus.NeedsAudio, e.Status));
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_set_auto_transcribe_and_new_episodes_without_a_publisher_transcript_are_queued_for_download()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        server.MapText("/feed.xml", Feed(server, 2), "application/rss+xml");
        using var dir = TempDir.Create();
        var core = Cast2mdCore.Open(dir.Combine("data"), name => name == "AUTO_TRANSCRIBE" ? "true" : null);

        // Act
        var added = await core.FeedService.AddAsync(server.Url("/feed.xml").ToString());

        // Assert
        Assert.Equal(2, added.QueuedEpisodes);
        Assert.Equal(2, core.Jobs.Counts(Cast2md.Queue.JobType.Download).Queued);
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_try_to_subscribe_something_that_is_not_a_feed_and_get_a_clear_error_and_nothing_stored()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        server.MapText("/page", "<html><body>Hello</body></html>", "text/html");
        server.MapStatus("/gone", 404);
        using var dir = TempDir.Create();
        var core = Cast2mdCore.Open(dir.Combine("data"), _ => null);

        // Act
        var notFeed = await Assert.ThrowsAsync<InvalidRequestException>(() => core.FeedService.AddAsync(server.Url("/page").ToString()));
        var dead = await Assert.ThrowsAsync<InvalidRequestException>(() => core.FeedService.AddAsync(server.Url("/gone").ToString()));

        // Assert
        Assert.Contains("not", notFeed.Message);
        Assert.Contains("404", dead.Message);
        Assert.Empty(core.Feeds.List());
    }
}
