using Cast2md.Feeds;
using Xunit;

namespace Cast2md.Tests.Feeds;

/// <summary>
/// Every element the parser knows, written twice at channel and at item level (as WordPress plugins, Podlove and
/// hand-edited feeds do): the parse ends, and the first value wins. Before the reader consumed every element
/// itself, a repeated one made the parse spin forever.
/// </summary>
public sealed class FeedRepeatedElementSpecs
{
    private const string Namespaces =
        "xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\" xmlns:podcast=\"https://podcastindex.org/namespace/1.0\" "
        + "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
        + "xmlns:media=\"http://search.yahoo.com/mrss/\" xmlns:atom=\"http://www.w3.org/2005/Atom\"";

    private static string Twice(Func<string, string> element) => element("first") + element("second");

    private static string RssChannelElements =>
        string.Concat(
            Twice(v => $"<title>{v} show</title>"),
            Twice(v => $"<link>https://{v}.test/</link>"),
            Twice(v => $"<description>{v} description</description>"),
            Twice(v => $"<language>{v}</language>"),
            Twice(v => $"<managingEditor>{v} editor</managingEditor>"),
            Twice(v => $"<dc:creator>{v} creator</dc:creator>"),
            Twice(v => $"<itunes:author>{v} author</itunes:author>"),
            Twice(v => $"<itunes:summary>{v} summary</itunes:summary>"),
            Twice(v => $"<itunes:image href=\"https://{v}.test/art.jpg\"/>"),
            Twice(v => $"<image><url>https://{v}.test/small.jpg</url><url>https://{v}.test/again.jpg</url></image>"),
            Twice(v => $"<itunes:category text=\"{v} category\"><itunes:category text=\"{v} sub\"/></itunes:category>"),
            Twice(v => $"<category>{v} plain</category>"),
            Twice(v => $"<atom:link rel=\"next\" href=\"https://{v}.test/page2\"/>"),
            Twice(v => $"<atom:link rel=\"self\" href=\"https://{v}.test/feed\"/>")
        );

    private static string RssItemElements =>
        string.Concat(
            Twice(v => $"<title>{v} title</title>"),
            Twice(v => $"<itunes:title>{v} itunes title</itunes:title>"),
            Twice(v => $"<guid>{v}-guid</guid>"),
            Twice(v => $"<link>https://{v}.test/episode</link>"),
            Twice(v => $"<description>{v} description</description>"),
            Twice(v => $"<content:encoded>{v} content</content:encoded>"),
            Twice(v => $"<itunes:summary>{v} summary</itunes:summary>"),
            Twice(v => $"<pubDate>{(v == "first" ? "Mon, 01 Jan 2024 08:00:00 GMT" : "Tue, 02 Jan 2024 08:00:00 GMT")}</pubDate>"),
            Twice(v => $"<dc:date>{(v == "first" ? "2023-01-01T00:00:00Z" : "2022-01-01T00:00:00Z")}</dc:date>"),
            Twice(v => $"<author>{v} author</author>"),
            Twice(v => $"<dc:creator>{v} creator</dc:creator>"),
            Twice(v => $"<itunes:author>{v} itunes author</itunes:author>"),
            Twice(v => $"<itunes:duration>{(v == "first" ? "10:00" : "20:00")}</itunes:duration>"),
            Twice(v => $"<itunes:image href=\"https://{v}.test/ep.jpg\"/>"),
            Twice(v => $"<enclosure url=\"https://{v}.test/ep.mp3\" type=\"audio/mpeg\" length=\"1\"/>"),
            Twice(v => $"<media:content url=\"https://{v}.test/media.mp3\" type=\"audio/mpeg\"/>"),
            Twice(v => $"<media:group><media:content url=\"https://{v}.test/group.mp3\" type=\"audio/mpeg\"/></media:group>"),
            Twice(v => $"<podcast:transcript url=\"https://{v}.test/t.vtt\" type=\"text/vtt\"/>"),
            Twice(v => $"<podcast:chapters url=\"https://{v}.test/chapters.json\" type=\"application/json+chapters\"/>")
        );

    public static TheoryData<string, string> Feeds =>
        new()
        {
            {
                "RSS 2.0",
                $"<rss version=\"2.0\" {Namespaces}><channel>{RssChannelElements}<item>{RssItemElements}</item><item>{RssItemElements.Replace("-guid", "-other")}</item></channel></rss>"
            },
            {
                "RSS 0.91",
                $"<rss version=\"0.91\" {Namespaces}><channel>{RssChannelElements}<item>{RssItemElements}</item><item>{RssItemElements.Replace("-guid", "-other")}</item></channel></rss>"
            },
            {
                "RSS 1.0",
                $"<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://purl.org/rss/1.0/\" {Namespaces}><channel>{RssChannelElements}</channel><item>{RssItemElements}</item><item>{RssItemElements.Replace("-guid", "-other")}</item></rdf:RDF>"
            },
            {
                "Atom",
                $"""
                    <feed xmlns="http://www.w3.org/2005/Atom" {Namespaces.Replace("xmlns:atom=\"http://www.w3.org/2005/Atom\"", "")}>
                      {Twice(v => $"<title>{v} show</title>")}{Twice(v => $"<subtitle>{v} description</subtitle>")}
                      {Twice(v => $"<icon>https://{v}.test/icon.png</icon>")}{Twice(v => $"<logo>https://{v}.test/logo.png</logo>")}
                      {Twice(v => $"<author><name>{v} author</name><name>{v} again</name></author>")}
                      {Twice(v => $"<link rel=\"alternate\" href=\"https://{v}.test/\"/>")}{Twice(v =>
                        $"<link rel=\"next\" href=\"https://{v}.test/page2\"/>"
                    )}
                      {Twice(v => $"<category term=\"{v} plain\"/>")}
                      <entry>
                        {Twice(v => $"<title>{v} title</title>")}{Twice(v => $"<id>{v}-guid</id>")}
                        {Twice(v => $"<summary>{v} summary</summary>")}{Twice(v => $"<content>{v} content</content>")}
                        {Twice(v => $"<published>{(v == "first" ? "2024-01-01T08:00:00Z" : "2024-01-02T08:00:00Z")}</published>")}
                        {Twice(v => $"<updated>2024-01-03T08:00:00Z</updated>")}
                        {Twice(v => $"<author><name>{v} author</name></author>")}
                        {Twice(v => $"<link rel=\"alternate\" href=\"https://{v}.test/episode\"/>")}
                        {Twice(v => $"<link rel=\"enclosure\" type=\"audio/mpeg\" length=\"1\" href=\"https://{v}.test/ep.mp3\"/>")}
                        {Twice(v => $"<itunes:duration>{(v == "first" ? "10:00" : "20:00")}</itunes:duration>")}
                        {Twice(v => $"<podcast:transcript url=\"https://{v}.test/t.vtt\" type=\"text/vtt\"/>")}
                      </entry>
                    </feed>
                    """
            },
        };

    [Theory(Timeout = 10_000)]
    [MemberData(nameof(Feeds))]
    public async Task I_can_parse_a_feed_that_repeats_every_element_and_the_first_value_wins(string format, string xml)
    {
        // Act
        var feed = await Task.Run(() => FeedParser.Parse(xml));

        // Assert
        Assert.True(feed.Title == "first show", format);
        Assert.Equal("first description", feed.Description);
        var episode = feed.Episodes[0];
        Assert.Equal("first title", episode.Title);
        Assert.Equal("first-guid", episode.Guid);
        Assert.Equal("https://first.test/ep.mp3", episode.AudioUrl);
        Assert.Equal(600, episode.DurationSeconds);
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 8, 0, 0, TimeSpan.Zero), episode.PublishedAt);
        Assert.Equal("https://first.test/episode", episode.Link);
        Assert.Equal("https://first.test/t.vtt", episode.Transcripts[0].Url);
        Assert.Equal("https://first.test/page2", feed.NextPageUrl);
        Assert.StartsWith("first", episode.Author);
        if (format != "Atom")
        {
            Assert.Equal("first author", feed.Author);
            Assert.Equal("https://first.test/art.jpg", feed.ImageUrl);
            Assert.Equal("https://first.test/chapters.json", episode.ChaptersUrl);
            Assert.Equal("https://first.test/ep.jpg", episode.ImageUrl);
            Assert.Equal(2, feed.Episodes.Count);
        }
        else
        {
            Assert.Equal("first author", feed.Author);
            Assert.Equal("https://first.test/icon.png", feed.ImageUrl); // <icon> came before <logo>
        }
    }

    [Fact(Timeout = 10_000)]
    public async Task I_can_parse_the_wordpress_seriously_simple_podcasting_shape_that_used_to_hang_the_server()
    {
        // Arrange: two <image> blocks, <pubDate> and <dc:date>, <author> and <dc:creator>, two <guid> per item.
        var xml = $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" {Namespaces}>
            <channel>
              <title>WP Show</title>
              <image><url>https://wp.test/a.jpg</url><title>WP Show</title><link>https://wp.test</link></image>
              <image><url>https://wp.test/b.jpg</url></image>
              <item>
                <title>One</title><guid isPermaLink="false">wp-1</guid><guid>https://wp.test/?p=1</guid>
                <pubDate>Mon, 01 Jan 2024 08:00:00 +0000</pubDate><dc:date>2024-01-01</dc:date>
                <author>host@wp.test</author><dc:creator>Host</dc:creator>
                <enclosure url="https://wp.test/1.mp3" length="1" type="audio/mpeg"/>
              </item>
            </channel>
            </rss>
            """;

        // Act
        var feed = await Task.Run(() => FeedParser.Parse(xml));

        // Assert
        Assert.Equal("https://wp.test/a.jpg", feed.ImageUrl);
        Assert.Equal("wp-1", Assert.Single(feed.Episodes).Guid);
    }
}
