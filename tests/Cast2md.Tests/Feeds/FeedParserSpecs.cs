using Cast2md.Feeds;
using Xunit;

namespace Cast2md.Tests.Feeds;

public class FeedParserSpecs
{
    [Fact]
    public void I_can_parse_an_rss_feed_with_itunes_tags()
    {
        // Act
        var feed = FeedParser.Parse(FeedFixtures.PodcastRss);

        // Assert
        Assert.Equal("The Example Show", feed.Title);
        Assert.Equal("<p>A show about <b>examples</b>.</p>", feed.Description);
        Assert.Equal("Jane Host", feed.Author);
        Assert.Equal("https://example.com/art.jpg", feed.ImageUrl);
        Assert.Equal("https://example.com/show", feed.Link);
        Assert.Equal("en-us", feed.Language);
        Assert.Equal(["Technology", "Society & Culture", "Documentary"], feed.Categories);
        Assert.Equal(2, feed.Episodes.Count);
        Assert.Equal(1, feed.SkippedWithoutAudio);

        var episode = feed.Episodes[0];
        Assert.Equal("ep-2", episode.Guid);
        Assert.Equal("Episode 2: Transcripts", episode.Title);
        Assert.Equal("Short description.", episode.Description);
        Assert.Equal("https://example.com/ep2", episode.Link);
        Assert.Equal("Guest Star", episode.Author);
        Assert.Equal("https://cdn.example.com/ep2.mp3?token=abc", episode.AudioUrl);
        Assert.Equal("audio/mpeg", episode.AudioType);
        Assert.Equal(12_345_678, episode.AudioLength);
        Assert.Equal(3723, episode.DurationSeconds);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 9, 30, 0, TimeSpan.Zero), episode.PublishedAt);
        Assert.Equal(TimeSpan.Zero, episode.PublishedAt!.Value.Offset);
        Assert.Equal("https://example.com/ep2.jpg", episode.ImageUrl);

        var older = feed.Episodes[1];
        Assert.Equal("ep-1", older.Guid);
        Assert.Equal(754, older.DurationSeconds);
        Assert.Null(older.AudioLength); // length="0" means unknown
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 8, 0, 0, TimeSpan.Zero), older.PublishedAt);
        Assert.Empty(older.Transcripts);
        Assert.Null(older.PreferredTranscript);
    }

    [Fact]
    public void I_can_parse_podcasting_2_0_transcripts_and_chapters_and_get_the_preferred_transcript()
    {
        // Act
        var episode = FeedParser.Parse(FeedFixtures.PodcastRss).Episodes[0];

        // Assert
        Assert.Equal(
            [
                new TranscriptLink("https://example.com/ep2.html", "text/html", null, null),
                new TranscriptLink("https://example.com/ep2.json", "application/json", "en", null),
                new TranscriptLink("https://example.com/ep2.vtt", "text/vtt", "en", "captions"),
            ],
            episode.Transcripts
        );
        Assert.Equal("https://example.com/ep2.vtt", episode.PreferredTranscript?.Url);
        Assert.Equal("https://example.com/ep2.chapters.json", episode.ChaptersUrl);
    }

    [Theory]
    [InlineData("text/plain|a.txt;application/x-subrip|a.srt;text/srt|b.srt", "a.srt")]
    [InlineData("text/srt|b.srt;application/json|a.json", "b.srt")]
    [InlineData("text/html|a.html;text/plain|a.txt", "a.txt")]
    [InlineData("|a.html;|a.json?x=1", "a.json?x=1")]
    [InlineData("|a;|b", "a")]
    [InlineData("text/html|a.html;|b.vtt", "a.html")]
    public void I_can_get_the_preferred_transcript_by_type_then_extension_then_order(string links, string expected)
    {
        // Arrange
        var transcripts = links
            .Split(';')
            .Select(l => l.Split('|'))
            .Select(p => new TranscriptLink("https://x.test/" + p[1], p[0].Length == 0 ? null : p[0], null, null))
            .ToList();

        // Act
        var preferred = new ParsedEpisode("g", "t") { Transcripts = transcripts }.PreferredTranscript;

        // Assert
        Assert.Equal("https://x.test/" + expected, preferred?.Url);
    }

    [Fact]
    public void I_can_parse_an_atom_feed()
    {
        // Act
        var feed = FeedParser.Parse(FeedFixtures.AtomFeed);

        // Assert
        Assert.Equal("Atom Cast", feed.Title);
        Assert.Equal("Ein Podcast im Atom-Format", feed.Description);
        Assert.Equal("Anna Autorin", feed.Author);
        Assert.Equal("https://atom.example.org/", feed.Link);
        Assert.Equal("https://atom.example.org/logo.png", feed.ImageUrl);
        Assert.Equal(["Wissen"], feed.Categories);
        Assert.Equal("de", feed.Language);
        var episode = Assert.Single(feed.Episodes);
        Assert.Equal("urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a", episode.Guid);
        Assert.Equal("https://atom.example.org/1.ogg", episode.AudioUrl);
        Assert.Equal("audio/ogg", episode.AudioType);
        Assert.Equal(98_765, episode.AudioLength);
        Assert.Equal("https://atom.example.org/1", episode.Link);
        Assert.Equal("Zusammenfassung", episode.Description);
        Assert.Equal("Bernd Gast", episode.Author);
        Assert.Equal(new DateTimeOffset(2024, 2, 29, 17, 15, 0, TimeSpan.Zero), episode.PublishedAt);
    }

    [Fact]
    public void I_can_parse_media_content_and_video_enclosures_preferring_audio()
    {
        // Act
        var feed = FeedParser.Parse(FeedFixtures.MediaRss);

        // Assert
        Assert.Equal(["m-1", "m-2", "m-3", "m-4"], feed.Episodes.Select(e => e.Guid));
        Assert.Equal("https://media.example.net/1.opus", feed.Episodes[0].AudioUrl);
        Assert.Equal(555, feed.Episodes[0].AudioLength);
        Assert.Equal("https://media.example.net/2", feed.Episodes[1].AudioUrl);
        Assert.Equal("https://media.example.net/3.mp4", feed.Episodes[2].AudioUrl);
        Assert.Equal("video/mp4", feed.Episodes[2].AudioType);
        Assert.Equal("https://media.example.net/4.flac", feed.Episodes[3].AudioUrl);
        Assert.Equal(1, feed.SkippedWithoutAudio);
    }

    [Fact]
    public void I_can_parse_relative_urls_against_the_feed_url()
    {
        // Arrange
        const string xml = """
            <rss version="2.0" xmlns:podcast="https://podcastindex.org/namespace/1.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>
              <title>Relative</title><link>/</link><itunes:image href="art/cover.png"/>
              <item><title>One</title>
                <enclosure url="../media/one.mp3" type="audio/mpeg"/>
                <link>episodes/one</link>
                <podcast:transcript url="/t/one.srt" type="application/x-subrip"/>
                <podcast:chapters url="one.chapters.json"/>
              </item>
              <item><title>Unsafe scheme</title><enclosure url="file:///etc/passwd.mp3" type="audio/mpeg"/></item>
            </channel></rss>
            """;
        var options = new FeedParserOptions { BaseUri = new Uri("https://host.example/podcasts/feed.xml") };

        // Act
        var feed = FeedParser.Parse(xml, options);

        // Assert
        Assert.Equal("https://host.example/", feed.Link);
        Assert.Equal("https://host.example/podcasts/art/cover.png", feed.ImageUrl);
        var episode = Assert.Single(feed.Episodes);
        Assert.Equal("https://host.example/media/one.mp3", episode.AudioUrl);
        Assert.Equal("https://host.example/podcasts/episodes/one", episode.Link);
        Assert.Equal("https://host.example/t/one.srt", episode.PreferredTranscript?.Url);
        Assert.Equal("https://host.example/podcasts/one.chapters.json", episode.ChaptersUrl);
        Assert.Equal("https://host.example/media/one.mp3", episode.Guid); // no guid: the enclosure URL
        Assert.Equal(1, feed.SkippedWithoutAudio); // file: is never a download URL
    }

    [Fact]
    public void I_can_parse_a_feed_with_duplicate_guids_and_keep_the_first()
    {
        // Arrange
        const string xml = """
            <rss version="2.0"><channel><title>Dups</title>
              <item><title>First</title><guid>same</guid><enclosure url="https://a.test/1.mp3" type="audio/mpeg"/></item>
              <item><title>Second</title><guid>same</guid><enclosure url="https://a.test/2.mp3" type="audio/mpeg"/></item>
              <item><title>Third</title><guid>SAME</guid><enclosure url="https://a.test/3.mp3" type="audio/mpeg"/></item>
              <item><title>No guid</title><enclosure url="https://a.test/3.mp3" type="audio/mpeg"/></item>
              <item><title>No guid again</title><enclosure url="https://a.test/3.mp3" type="audio/mpeg"/></item>
            </channel></rss>
            """;

        // Act
        var feed = FeedParser.Parse(xml);

        // Assert
        Assert.Equal(["First", "Third", "No guid"], feed.Episodes.Select(e => e.Title));
        Assert.Equal(["same", "SAME", "https://a.test/3.mp3"], feed.Episodes.Select(e => e.Guid));
        Assert.Equal(2, feed.SkippedDuplicates);
    }

    [Fact]
    public void I_can_parse_entries_without_guid_or_title()
    {
        // Arrange
        const string xml = """
            <rss version="2.0"><channel><title>Sparse</title>
              <item><enclosure url="https://a.test/x.mp3"/><pubDate>5 Mar 2024 07:00 EST</pubDate></item>
              <item><title>   </title><enclosure url="https://a.test/y.M4A"/></item>
              <item><guid>   </guid><link>https://a.test/page</link><enclosure url="https://a.test/z.aac?dl=1"/></item>
            </channel></rss>
            """;

        // Act
        var feed = FeedParser.Parse(xml);

        // Assert
        Assert.Equal(["Untitled episode (2024-03-05)", "Untitled episode", "Untitled episode"], feed.Episodes.Select(e => e.Title));
        Assert.Equal(["https://a.test/x.mp3", "https://a.test/y.M4A", "https://a.test/z.aac?dl=1"], feed.Episodes.Select(e => e.Guid));
        Assert.Equal(new DateTimeOffset(2024, 3, 5, 12, 0, 0, TimeSpan.Zero), feed.Episodes[0].PublishedAt);
        Assert.Null(feed.Episodes[0].AudioType);
    }

    [Fact]
    public void I_can_parse_a_feed_from_a_stream_in_another_encoding()
    {
        // Arrange
        var xml =
            """<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Grüße</title>"""
            + """<item><title>Café</title><enclosure url="https://a.test/1.mp3" type="audio/mpeg"/></item></channel></rss>""";
        using var stream = new MemoryStream(System.Text.Encoding.Latin1.GetBytes(xml));

        // Act
        var feed = FeedParser.Parse(stream);

        // Assert
        Assert.Equal("Grüße", feed.Title);
        Assert.Equal("Café", feed.Episodes[0].Title);
    }

    [Fact]
    public void I_can_parse_an_rss_1_0_feed()
    {
        // Arrange
        const string xml = """
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
              <channel rdf:about="https://r.test/"><title>RDF Cast</title><link>https://r.test/</link><description>Old school</description></channel>
              <item rdf:about="https://r.test/1"><title>One</title><link>https://r.test/1.mp3</link><dc:date>2024-01-05T10:00:00Z</dc:date></item>
            </rdf:RDF>
            """;

        // Act
        var feed = FeedParser.Parse(xml);

        // Assert
        Assert.Equal("RDF Cast", feed.Title);
        Assert.Empty(feed.Episodes); // RSS 1.0 has no enclosures; a link to an mp3 is not one
        Assert.Equal(1, feed.SkippedWithoutAudio);
    }

    [Theory]
    [InlineData("01:02:03", 3723.0)]
    [InlineData("62:03", 3723.0)]
    [InlineData("3723", 3723.0)]
    [InlineData(" 45:00 ", 2700.0)]
    [InlineData("1234.5", 1234.5)]
    [InlineData("0:00:07.25", 7.25)]
    [InlineData("1:2:3:4", null)]
    [InlineData("an hour", null)]
    [InlineData("", null)]
    [InlineData("-5", null)]
    public void I_can_parse_itunes_durations(string value, double? expected)
    {
        // Arrange
        var xml =
            $"""<rss xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>D</title><item><enclosure url="https://a.test/1.mp3"/><itunes:duration>{value}</itunes:duration></item></channel></rss>""";

        // Act
        var episode = FeedParser.Parse(xml).Episodes[0];

        // Assert
        Assert.Equal(expected, episode.DurationSeconds);
    }

    [Theory]
    [InlineData("Tue, 02 Jan 2024 10:30:00 +0100", "2024-01-02T09:30:00Z")]
    [InlineData("Tue, 2 Jan 2024 10:30:00 GMT", "2024-01-02T10:30:00Z")]
    [InlineData("2 Jan 2024 10:30:00 PST", "2024-01-02T18:30:00Z")]
    [InlineData("Tuesday, 02 January 2024 10:30:00 EDT", "2024-01-02T14:30:00Z")]
    [InlineData("Tue, 02 Jan 24 10:30 -05:00", "2024-01-02T15:30:00Z")]
    [InlineData("Tue,02 Jan 2024 10:30:00 Z", "2024-01-02T10:30:00Z")]
    [InlineData("Tue, 02 Jan 2024 10:30:00", "2024-01-02T10:30:00Z")]
    [InlineData("Tue, 02 Jan 2024 10:30:00 XYZ", "2024-01-02T10:30:00Z")]
    [InlineData("Tue, 02 Jan 2024", "2024-01-02T00:00:00Z")]
    [InlineData("Jan 2 2024 10:30:00 UTC", "2024-01-02T10:30:00Z")]
    [InlineData("Sun, 29 Feb 2032 23:59:59 +1400", "2032-02-29T09:59:59Z")]
    [InlineData("2024-01-02T10:30:00+02:00", "2024-01-02T08:30:00Z")]
    [InlineData("2024-01-02", "2024-01-02T00:00:00Z")]
    [InlineData("yesterday", null)]
    [InlineData("31 Feb 2024 10:00:00 GMT", null)]
    public void I_can_parse_publication_dates_as_published_in_the_wild(string value, string? expected)
    {
        // Arrange
        var xml = $"""<rss><channel><title>D</title><item><enclosure url="https://a.test/1.mp3"/><pubDate>{value}</pubDate></item></channel></rss>""";

        // Act
        var episode = FeedParser.Parse(xml).Episodes[0];

        // Assert
        Assert.Equal(
            expected is null ? null : DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            episode.PublishedAt
        );
        if (episode.PublishedAt is { } published)
            Assert.Equal(TimeSpan.Zero, published.Offset);
    }
}
