using System.IO.Compression;
using System.Text;
using Cast2md.Services;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.Feeds;

/// <summary>
/// Each real-world defect in a feed of its own, served by the loopback fixture server and subscribed as a user
/// would: every one yields the same two episodes with the right GUIDs, enclosure URLs, durations and transcript link.
/// </summary>
public sealed class FeedDefectsOverHttpSpecs
{
    static FeedDefectsOverHttpSpecs() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private const string Declared =
        " xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\" xmlns:podcast=\"https://podcastindex.org/namespace/1.0\"";

    // Two playable items (one with a relative enclosure), then a third; {title} carries the defect's title text.
    private static string Rss(
        string title = "Show",
        string namespaces = Declared,
        string rootExtra = "",
        string channelExtra = "",
        string itemExtra = "",
        string declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
        string enclosure2 = "a/2.mp3"
    ) =>
        $"""
            {declaration}
            <rss version="2.0"{namespaces}{rootExtra}>
            <channel>{channelExtra}
              <title>{title}</title>
              <item><title>One</title><guid>g1</guid><itunes:duration>01:00</itunes:duration>
                <enclosure url="https://cdn.test/1.mp3?a=1&amp;b=2" type="audio/mpeg" length="10"/>
                <podcast:transcript url="https://cdn.test/t/1.vtt" type="text/vtt"/>{itemExtra}</item>
              <item><title>Two</title><guid>g2</guid><itunes:duration>120</itunes:duration>
                <enclosure url="{enclosure2}" type="audio/mpeg" length="10"/>{itemExtra}</item>
            </channel>
            </rss>
            """;

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(bytes);
        return output.ToArray();
    }

    public static TheoryData<string> Defects =>
        new()
        {
            "newline before the declaration",
            "BOM and whitespace",
            "PHP warning first",
            "HTML entities",
            "bare ampersands",
            "undeclared prefixes",
            "Userland namespace",
            "xml:base",
            "gzip without Content-Encoding",
            "windows-1251 declared",
            "KOI8-R from the HTTP charset",
            "repeated elements",
            "comment with double dashes",
            "truncated third item",
        };

    private static (byte[] Body, string ContentType, string Title, string BaseForRelative) Fixture(string defect, Uri feedUrl) =>
        defect switch
        {
            "newline before the declaration" => (Utf8("\n\n" + Rss()), "application/rss+xml", "Show", feedUrl.ToString()),
            "BOM and whitespace" => ([0xEF, 0xBB, 0xBF, .. Utf8("  \r\n" + Rss())], "application/rss+xml", "Show", feedUrl.ToString()),
            "PHP warning first" => (
                Utf8("<br />\n<b>Deprecated</b>: strlen() in <b>/srv/feed.php</b><br />\n" + Rss()),
                "text/xml",
                "Show",
                feedUrl.ToString()
            ),
            "HTML entities" => (Utf8(Rss("Caf&eacute; &ndash; Talk&nbsp;&hellip;")), "application/rss+xml", "Café – Talk …", feedUrl.ToString()),
            "bare ampersands" => (
                Utf8(Rss("Rock & Roll").Replace("a=1&amp;b=2", "a=1&b=2")),
                "application/rss+xml",
                "Rock & Roll",
                feedUrl.ToString()
            ),
            "undeclared prefixes" => (
                Utf8(Rss(namespaces: "", channelExtra: "<spotify:countryOfOrigin>de</spotify:countryOfOrigin>")),
                "application/rss+xml",
                "Show",
                feedUrl.ToString()
            ),
            "Userland namespace" => (
                Utf8(Rss(rootExtra: " xmlns=\"http://backend.userland.com/rss2\"")),
                "application/rss+xml",
                "Show",
                feedUrl.ToString()
            ),
            "xml:base" => (Utf8(Rss(rootExtra: " xml:base=\"https://media.test/show/\"")), "application/rss+xml", "Show", "https://media.test/show/"),
            "gzip without Content-Encoding" => (Gzip(Utf8(Rss())), "application/rss+xml", "Show", feedUrl.ToString()),
            "windows-1251 declared" => (
                Encoding.GetEncoding("windows-1251").GetBytes(Rss("Подкаст", declaration: "<?xml version=\"1.0\" encoding=\"windows-1251\"?>")),
                "application/xml",
                "Подкаст",
                feedUrl.ToString()
            ),
            "KOI8-R from the HTTP charset" => (
                Encoding.GetEncoding("koi8-r").GetBytes(Rss("Новости", declaration: "<?xml version=\"1.0\"?>")),
                "application/rss+xml; charset=koi8-r",
                "Новости",
                feedUrl.ToString()
            ),
            "repeated elements" => (
                Utf8(
                    Rss(
                            channelExtra: "<title>Second title</title><image><url>https://i.test/1.jpg</url></image><image><url>https://i.test/2.jpg</url></image>",
                            itemExtra: "<guid>other</guid><pubDate>Mon, 01 Jan 2024 08:00:00 GMT</pubDate><pubDate>Tue, 02 Jan 2024 08:00:00 GMT</pubDate><itunes:duration>999</itunes:duration>"
                        )
                        .Replace("<title>Show</title>", "", StringComparison.Ordinal)
                        .Replace("<title>Second title</title>", "<title>Show</title><title>Second title</title>", StringComparison.Ordinal)
                ),
                "application/rss+xml",
                "Show",
                feedUrl.ToString()
            ),
            "comment with double dashes" => (
                Utf8(Rss(channelExtra: "<!-- built -- by -- hand -->")),
                "application/rss+xml",
                "Show",
                feedUrl.ToString()
            ),
            "truncated third item" => (
                Utf8(Rss().Replace("</channel>\n</rss>", "<item><title>Three</title><guid>g3</gu", StringComparison.Ordinal)),
                "application/rss+xml",
                "Show",
                feedUrl.ToString()
            ),
            _ => throw new ArgumentOutOfRangeException(nameof(defect)),
        };

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(Defects))]
    public async Task I_can_subscribe_to_a_feed_with_a_real_world_defect_and_get_its_episodes(string defect)
    {
        // Arrange
        await using var server = FixtureServer.Start();
        var url = server.Url("/podcast/feed.xml");
        var (body, contentType, title, relativeBase) = Fixture(defect, url);
        server.Map("/podcast/feed.xml", FixtureResponse.Bytes(body, contentType));
        using var dir = TempDir.Create();
        var core = Cast2mdCore.Open(dir.Combine("data"), _ => null);

        // Act
        var added = await core.FeedService.AddAsync(url.ToString());

        // Assert
        Assert.Equal(title, added.Feed.Title);
        var episodes = core.Episodes.ListByFeed(added.Feed.Id).Episodes.OrderBy(e => e.Guid).ToList();
        Assert.Equal(["g1", "g2"], episodes.Select(e => e.Guid));
        Assert.Equal("https://cdn.test/1.mp3?a=1&b=2", episodes[0].AudioUrl);
        Assert.Equal(new Uri(new Uri(relativeBase), "a/2.mp3").AbsoluteUri, episodes[1].AudioUrl);
        Assert.Equal([60.0, 120.0], episodes.Select(e => e.DurationSeconds ?? 0));
        Assert.Equal("https://cdn.test/t/1.vtt", episodes[0].TranscriptUrl);
        Assert.Null(episodes[1].TranscriptUrl);
        Assert.Equal(defect is "PHP warning first" or "truncated third item", added.Warnings.Count > 0);
    }

    [Fact(Timeout = 60_000)]
    public async Task I_can_subscribe_to_a_large_generated_feed_with_entities_and_undeclared_prefixes_served_as_bare_gzip()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        var items = string.Concat(
            Enumerable
                .Range(0, 3000)
                .Select(i =>
                    $"<item><title>Folge {i} &ndash; Gespr&auml;ch &amp; mehr</title><guid>big-{i}</guid><itunes:duration>{i % 60}:{i % 60:00}</itunes:duration>"
                    + $"<enclosure url=\"/audio/{i}.mp3?x=1&y=2\" type=\"audio/mpeg\"/><podcast:transcript url=\"t/{i}.srt\" type=\"application/srt\"/></item>"
                )
        );
        var xml = $"\n<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Gro&szlig;</title>{items}</channel></rss>";
        server.Map("/big.xml", FixtureResponse.Bytes(Gzip(Utf8(xml)), "application/octet-stream"));
        using var dir = TempDir.Create();
        var core = Cast2mdCore.Open(dir.Combine("data"), _ => null);

        // Act
        var added = await core.FeedService.AddAsync(server.Url("/big.xml").ToString());

        // Assert
        Assert.Equal("Groß", added.Feed.Title);
        Assert.Equal(3000, added.NewEpisodes);
        var episode = core.Episodes.ListByFeed(added.Feed.Id, limit: 5000).Episodes.Single(e => e.Guid == "big-2999");
        Assert.Equal("Folge 2999 – Gespräch & mehr", episode.Title);
        Assert.Equal(server.Url("/audio/2999.mp3?x=1&y=2").ToString(), episode.AudioUrl);
        Assert.Equal(server.Url("/t/2999.srt").ToString(), episode.TranscriptUrl);
        Assert.Equal(59 * 60 + 59, episode.DurationSeconds);
    }
}
