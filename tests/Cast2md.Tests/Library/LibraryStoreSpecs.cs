using Cast2md.Library;
using Cast2md.Queue;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.Library;

public sealed class LibraryStoreSpecs
{
    [Fact]
    public void I_can_store_a_polls_episodes_and_get_only_the_new_ones_back_the_second_time()
    {
        // Arrange
        using var db = new TestDatabase();
        var feeds = new FeedStore(db.Database);
        var episodes = new EpisodeStore(db.Database);
        var feed = feeds.Add("https://example.test/feed.xml", new FeedMetadata("Show"));
        var first = new[]
        {
            new EpisodeMetadata("g1", "One") { AudioUrl = "https://cdn.test/1.mp3?sig=a" },
            new EpisodeMetadata("g2", "Two"),
        };

        // Act
        var created = episodes.Upsert(feed.Id, first);
        var again = episodes.Upsert(
            feed.Id,
            [new EpisodeMetadata("g1", "One") { AudioUrl = "https://cdn.test/1.mp3?sig=b" }, new EpisodeMetadata("g3", "Three")]
        );

        // Assert
        Assert.Equal(2, created.Count);
        var three = Assert.Single(again);
        Assert.Equal("Three", episodes.Get(three)!.Title);
        Assert.Equal("https://cdn.test/1.mp3?sig=b", episodes.Get(created[0])!.AudioUrl);
        Assert.Equal(3, episodes.ListByFeed(feed.Id).Total);
    }

    [Fact]
    public void I_can_store_the_same_guid_in_two_feeds_and_twice_in_one_poll_and_get_one_episode_per_feed()
    {
        // Arrange
        using var db = new TestDatabase();
        var feeds = new FeedStore(db.Database);
        var episodes = new EpisodeStore(db.Database);
        var a = feeds.Add("https://a.test/feed", new FeedMetadata("A"));
        var b = feeds.Add("https://b.test/feed", new FeedMetadata("B"));

        // Act
        var inA = episodes.Upsert(a.Id, [new EpisodeMetadata("same", "First"), new EpisodeMetadata("same", "Duplicate")]);
        var inB = episodes.Upsert(b.Id, [new EpisodeMetadata("same", "Other feed")]);

        // Assert
        Assert.Equal("First", episodes.Get(Assert.Single(inA))!.Title);
        Assert.Single(inB);
    }

    [Fact]
    public void I_can_list_feeds_with_their_status_counts_and_rename_one()
    {
        // Arrange
        using var db = new TestDatabase();
        var feeds = new FeedStore(db.Database);
        var episodes = new EpisodeStore(db.Database);
        var feed = feeds.Add("https://example.test/feed", new FeedMetadata("Publisher Title"));
        var ids = episodes.Upsert(feed.Id, [new EpisodeMetadata("1", "a"), new EpisodeMetadata("2", "b"), new EpisodeMetadata("3", "c")]);
        episodes.SetStatus(ids[0], EpisodeStatus.Completed);

        // Act
        feeds.Rename(feed.Id, "My Name");
        var listed = Assert.Single(feeds.List());

        // Assert
        Assert.Equal("My Name", listed.DisplayTitle);
        Assert.Equal(3, listed.EpisodeCount);
        Assert.Equal(2, listed.StatusCounts["new"]);
        Assert.Equal(1, listed.StatusCounts["completed"]);
    }

    [Fact]
    public void I_can_not_subscribe_a_feed_twice()
    {
        // Arrange
        using var db = new TestDatabase();
        var feeds = new FeedStore(db.Database);
        var feed = feeds.Add("https://example.test/feed", new FeedMetadata("Show"));

        // Act
        var error = Assert.Throws<DuplicateFeedException>(() => feeds.Add("https://example.test/feed", new FeedMetadata("Show")));

        // Assert
        Assert.Equal(feed.Id, error.ExistingFeedId);
    }

    [Fact]
    public void I_can_delete_a_feed_and_its_episodes_and_jobs_go_with_it()
    {
        // Arrange
        using var db = new TestDatabase();
        var feeds = new FeedStore(db.Database);
        var episodes = new EpisodeStore(db.Database);
        var jobs = new JobStore(db.Database);
        var feed = feeds.Add("https://example.test/feed", new FeedMetadata("Show"));
        var episode = episodes.Upsert(feed.Id, [new EpisodeMetadata("1", "a")])[0];
        var job = jobs.Enqueue(episode, JobType.Download).Job;

        // Act
        var deleted = feeds.Delete(feed.Id);

        // Assert
        Assert.True(deleted);
        Assert.Null(episodes.Get(episode));
        Assert.Null(jobs.Get(job.Id));
    }

    [Fact]
    public void I_can_store_sql_metacharacters_in_every_text_field_and_read_them_back_unchanged()
    {
        // Arrange
        using var db = new TestDatabase();
        const string hostile = "Robert'); DROP TABLE episodes; -- \" % _ \\ $1 ?";
        var feeds = new FeedStore(db.Database);
        var episodes = new EpisodeStore(db.Database);

        // Act
        var feed = feeds.Add(
            "https://example.test/?q=" + hostile,
            new FeedMetadata(hostile)
            {
                Description = hostile,
                Author = hostile,
                Categories = [hostile],
            }
        );
        var id = episodes.Upsert(
            feed.Id,
            [
                new EpisodeMetadata(hostile, hostile)
                {
                    Description = hostile,
                    Author = hostile,
                    AudioUrl = hostile,
                },
            ]
        )[0];
        feeds.Rename(feed.Id, hostile);

        // Assert
        var stored = feeds.Get(feed.Id)!;
        Assert.Equal(hostile, stored.Title);
        Assert.Equal(hostile, stored.CustomTitle);
        Assert.Equal([hostile], stored.Categories);
        var episode = episodes.Get(id)!;
        Assert.Equal(hostile, episode.Guid);
        Assert.Equal(hostile, episode.AudioUrl);
        Assert.Equal(1, episodes.StatusCounts()[EpisodeStatus.New]);
    }

    [Fact]
    public void I_can_walk_an_episode_through_its_states()
    {
        // Arrange
        using var db = new TestDatabase();
        var feed = new FeedStore(db.Database).Add("https://example.test/feed", new FeedMetadata("Show"));
        var episodes = new EpisodeStore(db.Database);
        var id = episodes.Upsert(feed.Id, [new EpisodeMetadata("1", "a")])[0];

        // Act
        episodes.SetStatus(id, EpisodeStatus.Downloading);
        episodes.SetAudio(id, "audio/Show/undated_a_1.mp3");
        var ready = episodes.Get(id)!;
        episodes.SetTranscript(id, "transcripts/Show/undated_a_1.md", "whisper", "ggml-tiny-q8_0.bin", "en");

        // Assert
        Assert.Equal(EpisodeStatus.AudioReady, ready.Status);
        var done = episodes.Get(id)!;
        Assert.Equal(EpisodeStatus.Completed, done.Status);
        Assert.Equal("transcripts/Show/undated_a_1.md", done.TranscriptPath);
        Assert.Equal("en", done.TranscriptLanguage);
        Assert.Single(episodes.ListByStatus(EpisodeStatus.Completed));
    }
}
