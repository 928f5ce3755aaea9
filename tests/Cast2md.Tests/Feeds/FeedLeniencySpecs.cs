using System.IO.Compression;
using System.Text;
using Cast2md.Feeds;
using Xunit;

namespace Cast2md.Tests.Feeds;

/// <summary>Feeds that podcast apps read although they are not well-formed XML; each fixture has one defect.</summary>
public sealed class FeedLeniencySpecs
{
    static FeedLeniencySpecs() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static string Item(int n, string extra = "") =>
        $"<item><title>Episode {n}</title><guid>g{n}</guid><enclosure url=\"https://cdn.test/{n}.mp3\" type=\"audio/mpeg\"/>{extra}</item>";

    private static string Rss(string items, string channelExtra = "", string rootAttributes = "") =>
        $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"{rootAttributes}><channel><title>Show</title>{channelExtra}{items}</channel></rss>";

    private static ParsedFeed ParseBytes(byte[] bytes, FeedParserOptions? options = null) => FeedParser.Parse(new MemoryStream(bytes), options);

    [Theory]
    [InlineData("\n\n  ")]
    [InlineData("\uFEFF\r\n")]
    [InlineData("\t")]
    public void I_can_parse_a_feed_with_whitespace_before_the_xml_declaration(string before)
    {
        // Act
        var feed = ParseBytes(Encoding.UTF8.GetBytes(before + Rss(Item(1))));

        // Assert
        Assert.Equal("g1", Assert.Single(feed.Episodes).Guid);
        Assert.Empty(feed.Warnings);
    }

    [Fact]
    public void I_can_parse_a_feed_with_a_php_warning_printed_before_it_and_get_a_warning()
    {
        // Arrange
        const string php = "<br />\n<b>Warning</b>:  Undefined variable $x in <b>/var/www/feed.php</b> on line <b>12</b><br />\n";

        // Act
        var feed = ParseBytes(Encoding.UTF8.GetBytes(php + Rss(Item(1) + Item(2))));

        // Assert
        Assert.Equal(2, feed.Episodes.Count);
        Assert.Contains(feed.Warnings, w => w.Contains("before its XML", StringComparison.Ordinal));
    }

    [Fact]
    public void I_can_parse_html_named_entities_and_a_bare_ampersand_as_text()
    {
        // Arrange
        var xml = Rss(
                Item(1, "<description>Tom&nbsp;&amp; Jerry&rsquo;s &hellip; caf&eacute; &ndash; R&D &gtgt; &#233;&#x1F600; a < b</description>"),
                channelExtra: "<itunes:author>Ben &amp; Jerry's &copy; 2024</itunes:author>",
                rootAttributes: " xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\""
            )
            .Replace("<title>Episode 1</title>", "<title>Q&A: Rock & Roll</title>", StringComparison.Ordinal);

        // Act
        var feed = FeedParser.Parse(xml);

        // Assert
        var episode = Assert.Single(feed.Episodes);
        Assert.Equal("Q&A: Rock & Roll", episode.Title);
        Assert.Equal("Tom\u00A0& Jerry\u2019s \u2026 café \u2013 R&D &gtgt; é😀 a < b", episode.Description);
        Assert.Equal("Ben & Jerry's © 2024", feed.Author);
    }

    [Fact]
    public void I_can_parse_an_entity_in_an_attribute_and_an_unquoted_or_repeated_attribute()
    {
        // Arrange
        var xml = Rss(
            "<item><title>A</title><guid>a</guid><enclosure url=https://cdn.test/a.mp3?x=1&y=2 type=\"audio/mpeg\" url=\"https://cdn.test/other.mp3\" defer/></item>"
        );

        // Act
        var feed = FeedParser.Parse(xml);

        // Assert
        Assert.Equal("https://cdn.test/a.mp3?x=1&y=2", Assert.Single(feed.Episodes).AudioUrl);
    }

    [Fact]
    public void I_can_parse_namespace_prefixes_that_the_feed_never_declared()
    {
        // Arrange: itunes, podcast and content are read by their usual namespaces; spotify and a made-up one are ignored.
        var xml = Rss(
            Item(
                1,
                "<itunes:duration>01:00:00</itunes:duration><podcast:transcript url=\"https://t.test/1.vtt\" type=\"text/vtt\"/>"
                    + "<content:encoded>notes</content:encoded><spotify:limit recentCount=\"5\"/><madeup:thing a:b=\"1\">x</madeup:thing>"
            ),
            channelExtra: "<itunes:author>Undeclared Author</itunes:author>"
        );

        // Act
        var feed = FeedParser.Parse(xml);

        // Assert
        var episode = Assert.Single(feed.Episodes);
        Assert.Equal(3600, episode.DurationSeconds);
        Assert.Equal("https://t.test/1.vtt", episode.PreferredTranscript?.Url);
        Assert.Equal("notes", episode.Description);
        Assert.Equal("Undeclared Author", feed.Author);
    }

    [Fact]
    public void I_can_parse_a_prefix_declared_only_on_one_item_but_used_on_another()
    {
        // Arrange
        var xml = Rss(
            Item(1, "<itunes:duration xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\">60</itunes:duration>")
                + Item(2, "<itunes:duration>120</itunes:duration>")
        );

        // Act
        var feed = FeedParser.Parse(xml);

        // Assert
        Assert.Equal([60.0, 120.0], feed.Episodes.Select(e => e.DurationSeconds!.Value));
    }

    [Theory]
    [InlineData("http://backend.userland.com/rss2")]
    [InlineData("http://backend.userland.com/rss")]
    public void I_can_parse_an_rss_feed_with_the_userland_default_namespace(string ns)
    {
        // Act
        var feed = FeedParser.Parse(Rss(Item(1) + Item(2), rootAttributes: $" xmlns=\"{ns}\""));

        // Assert
        Assert.Equal("Show", feed.Title);
        Assert.Equal(2, feed.Episodes.Count);
    }

    [Fact]
    public void I_can_parse_an_rss_0_90_feed_in_the_netscape_namespace()
    {
        // Arrange
        const string xml = """
            <?xml version="1.0"?>
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/">
              <channel><title>Old Show</title><link>https://old.test/</link></channel>
              <item><title>First</title><link>https://old.test/1.mp3</link><enclosure url="https://old.test/1.mp3" type="audio/mpeg"/></item>
            </rdf:RDF>
            """;

        // Act
        var feed = FeedParser.Parse(xml);

        // Assert
        Assert.Equal("Old Show", feed.Title);
        Assert.Equal("https://old.test/1.mp3", Assert.Single(feed.Episodes).AudioUrl);
    }

    [Fact]
    public void I_can_parse_an_rss_0_91_feed_with_the_netscape_doctype_and_its_html_entities()
    {
        // Arrange: an external-only DOCTYPE (no internal subset) is dropped, never fetched; the entities it meant are HTML's.
        const string xml = """
            <?xml version="1.0" encoding="ISO-8859-1"?>
            <!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
            <rss version="0.91"><channel><title>Caf&eacute; Radio</title>
            <item><title>Un&nbsp;jour</title><link>https://cafe.test/1</link><enclosure url="https://cafe.test/1.mp3" type="audio/mpeg"/></item>
            </channel></rss>
            """;

        // Act
        var feed = FeedParser.Parse(xml);

        // Assert
        Assert.Equal("Café Radio", feed.Title);
        Assert.Equal("Un jour", Assert.Single(feed.Episodes).Title);
    }

    [Fact]
    public void I_can_parse_relative_enclosure_urls_against_the_nearest_xml_base()
    {
        // Arrange
        var xml = """
            <rss version="2.0" xml:base="https://root.test/podcast/"><channel xml:base="channel/"><title>Based</title>
              <image><url>art.jpg</url></image>
              <item xml:base="https://items.test/2024/"><title>A</title><guid>a</guid><enclosure url="a.mp3" type="audio/mpeg"/><link>page.html</link></item>
              <item><title>B</title><guid>b</guid><enclosure xml:base="/media/" url="b.mp3" type="audio/mpeg"/></item>
              <item><title>C</title><guid>c</guid><enclosure url="c.mp3" type="audio/mpeg"/></item>
            </channel></rss>
            """;

        // Act
        var feed = FeedParser.Parse(xml, new FeedParserOptions { BaseUri = new Uri("https://fetched.test/feed.xml") });

        // Assert
        Assert.Equal("https://items.test/2024/a.mp3", feed.Episodes[0].AudioUrl);
        Assert.Equal("https://items.test/2024/page.html", feed.Episodes[0].Link);
        Assert.Equal("https://root.test/media/b.mp3", feed.Episodes[1].AudioUrl);
        Assert.Equal("https://root.test/podcast/channel/c.mp3", feed.Episodes[2].AudioUrl);
        Assert.Equal("https://root.test/podcast/channel/art.jpg", feed.ImageUrl);
    }

    [Fact]
    public void I_can_parse_relative_urls_against_the_feed_address_when_there_is_no_xml_base()
    {
        // Act
        var feed = FeedParser.Parse(
            Rss("<item><title>A</title><guid>a</guid><enclosure url=\"/audio/a.mp3\" type=\"audio/mpeg\"/></item>"),
            new FeedParserOptions { BaseUri = new Uri("https://host.test/feeds/show.xml") }
        );

        // Assert
        Assert.Equal("https://host.test/audio/a.mp3", Assert.Single(feed.Episodes).AudioUrl);
    }

    [Fact]
    public void I_can_parse_gzip_bytes_served_without_a_content_encoding()
    {
        // Arrange
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(Encoding.UTF8.GetBytes(Rss(Item(1) + Item(2) + Item(3))));

        // Act
        var feed = ParseBytes(compressed.ToArray());

        // Assert
        Assert.Equal(3, feed.Episodes.Count);
    }

    [Fact]
    public void I_can_try_a_gzip_bomb_and_it_is_refused_at_the_size_limit()
    {
        // Arrange: 64 MiB of spaces compress to a few dozen KiB.
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            var spaces = new byte[1024 * 1024];
            Array.Fill(spaces, (byte)' ');
            for (var i = 0; i < 64; i++)
                gzip.Write(spaces);
        }

        // Act
        var error = Assert.Throws<FeedParseException>(() => ParseBytes(compressed.ToArray()));

        // Assert
        Assert.Contains("larger than the limit of 32 MiB", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string?> Encodings =>
        new()
        {
            { "windows-1251", "Подкаст о жизни", null },
            { "koi8-r", "Новости недели", null },
            { "iso-8859-2", "Zażółć gęślą jaźń", null },
            { "iso-8859-15", "Prix en € et œuvres", null },
            { "windows-1252", "Café “quoted”", null },
            { "windows-1251", "Только HTTP", "http" },
        };

    [Theory]
    [MemberData(nameof(Encodings))]
    public void I_can_parse_a_feed_in_a_legacy_encoding_named_by_its_declaration_or_the_http_charset(
        string encodingName,
        string title,
        string? source
    )
    {
        // Arrange
        var encoding = Encoding.GetEncoding(encodingName);
        var declaration = source == "http" ? "<?xml version=\"1.0\"?>" : $"<?xml version=\"1.0\" encoding=\"{encodingName}\"?>";
        var bytes = encoding.GetBytes($"{declaration}<rss version=\"2.0\"><channel><title>{title}</title>{Item(1)}</channel></rss>");

        // Act
        var feed = ParseBytes(bytes, new FeedParserOptions { Charset = source == "http" ? encodingName : null });

        // Assert
        Assert.Equal(title, feed.Title);
    }

    [Fact]
    public void I_can_rely_on_the_byte_order_mark_over_the_declaration_and_the_declaration_over_the_http_charset()
    {
        // Arrange
        var utf8WithBom = new byte[] { 0xEF, 0xBB, 0xBF }
            .Concat(Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"windows-1251\"?><rss><channel><title>Ünïcödé</title></channel></rss>"))
            .ToArray();
        var declared = Encoding
            .GetEncoding("koi8-r")
            .GetBytes("<?xml version=\"1.0\" encoding=\"koi8-r\"?><rss><channel><title>Привет</title></channel></rss>");
        var utf16 = Encoding
            .Unicode.GetPreamble()
            .Concat(Encoding.Unicode.GetBytes("<rss><channel><title>UTF-16 東京</title></channel></rss>"))
            .ToArray();

        // Act
        var bom = ParseBytes(utf8WithBom, new FeedParserOptions { Charset = "iso-8859-1" });
        var declaration = ParseBytes(declared, new FeedParserOptions { Charset = "windows-1251" });
        var wide = ParseBytes(utf16);

        // Assert
        Assert.Equal("Ünïcödé", bom.Title);
        Assert.Equal("Привет", declaration.Title);
        Assert.Equal("UTF-16 東京", wide.Title);
    }

    [Fact]
    public void I_can_parse_a_truncated_feed_and_keep_the_complete_items_before_the_break_with_a_warning()
    {
        // Arrange
        var full = Rss(string.Concat(Enumerable.Range(1, 10).Select(i => Item(i))));
        var cut = full[..full.IndexOf("<item><title>Episode 8", StringComparison.Ordinal)] + "<item><title>Episo";

        // Act
        var feed = FeedParser.Parse(cut);

        // Assert
        Assert.Equal(7, feed.Episodes.Count);
        var warning = Assert.Single(feed.Warnings);
        Assert.Contains("breaks off", warning, StringComparison.Ordinal);
        Assert.Contains("7 complete items", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void I_can_parse_a_feed_with_a_broken_tag_after_some_items_and_keep_those_before_it()
    {
        // Arrange
        var xml = Rss(Item(1) + Item(2) + "<item><title>Bad</titel></item>" + Item(4));

        // Act
        var feed = FeedParser.Parse(xml);

        // Assert
        Assert.Equal(["g1", "g2"], feed.Episodes.Select(e => e.Guid));
        Assert.Contains(feed.Warnings, w => w.Contains("line 2", StringComparison.Ordinal) && w.Contains("</titel>", StringComparison.Ordinal));
    }

    [Fact]
    public void I_can_try_a_feed_broken_before_its_first_item_and_get_the_line_and_column_in_the_text_as_published()
    {
        // Arrange: the HTML entity on line 2 is rewritten before parsing; the column must still be the published one.
        const string xml = "<rss version=\"2.0\"><channel>\n<title>A&nbsp;&nbsp;&nbsp;b</titel>\n</channel></rss>";

        // Act
        var error = Assert.Throws<FeedParseException>(() => FeedParser.Parse(xml));

        // Assert
        Assert.Equal(2, error.LineNumber);
        Assert.Equal(28, error.LinePosition);
        Assert.Contains("line 2, column 28", error.Message, StringComparison.Ordinal);
        Assert.Contains("</titel>", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void I_can_parse_a_feed_whose_bytes_are_not_all_valid_utf8_and_the_bad_ones_are_replaced_with_a_warning()
    {
        // Arrange
        var bytes = Encoding
            .UTF8.GetBytes("<rss version=\"2.0\"><channel>\n<title>Bad ")
            .Concat(new byte[] { 0xC3, 0x28, 0xFF })
            .Concat(Encoding.UTF8.GetBytes($"</title>{Item(1)}</channel></rss>"))
            .ToArray();

        // Act
        var feed = ParseBytes(bytes);

        // Assert
        Assert.StartsWith("Bad \uFFFD(", feed.Title, StringComparison.Ordinal);
        Assert.Single(feed.Episodes);
        Assert.Contains(feed.Warnings, w =>
            w.Contains("not valid UTF-8", StringComparison.Ordinal) && w.Contains("line 2", StringComparison.Ordinal)
        );
    }

    [Fact]
    public void I_can_parse_a_feed_with_no_items_yet()
    {
        // Act
        var feed = FeedParser.Parse(Rss(""));

        // Assert
        Assert.Equal("Show", feed.Title);
        Assert.Empty(feed.Episodes);
        Assert.Equal(0, feed.ItemCount);
    }

    [Fact]
    public void I_can_parse_unescaped_html_show_notes_with_unclosed_br_and_img_tags()
    {
        // Act
        var feed = FeedParser.Parse(Rss(Item(1, "<description>Line one<br>line two<img src=\"x.png\"><hr></description>")));

        // Assert
        Assert.Equal("Line oneline two", Assert.Single(feed.Episodes).Description);
    }

    [Fact]
    public void I_can_parse_comments_with_double_dashes_and_a_late_processing_instruction()
    {
        // Act
        var feed = FeedParser.Parse(Rss("<!-- generated -- by -- hand -->" + Item(1) + "<?php echo 1; ?>" + Item(2)));

        // Assert
        Assert.Equal(2, feed.Episodes.Count);
    }

    [Fact]
    public void I_can_stop_a_parse_with_the_cancellation_token()
    {
        // Arrange
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        // Act & assert
        Assert.ThrowsAny<OperationCanceledException>(() => FeedParser.Parse(FeedFixtures.LargeFeed(2000), cancellationToken: cancelled.Token));
    }

    [Fact]
    public void I_can_bound_a_parse_in_time_and_a_feed_over_the_deadline_fails_with_a_sentence()
    {
        // Act
        var error = Assert.Throws<FeedParseException>(() =>
            FeedParser.Parse(FeedFixtures.LargeFeed(2000), new FeedParserOptions { Timeout = TimeSpan.FromTicks(1) })
        );

        // Assert
        Assert.StartsWith("Reading the feed took longer than", error.Message, StringComparison.Ordinal);
    }
}
