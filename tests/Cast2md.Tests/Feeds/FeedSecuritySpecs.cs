using System.Diagnostics;
using System.Text;
using Cast2md.Feeds;
using Xunit;
using Xunit.Abstractions;

namespace Cast2md.Tests.Feeds;

public class FeedSecuritySpecs(ITestOutputHelper output)
{
    private const string BillionLaughs = """
        <?xml version="1.0"?>
        <!DOCTYPE rss [
          <!ENTITY lol "lol">
          <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
          <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
          <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
          <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
          <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
          <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
          <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
          <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
          <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
        ]>
        <rss version="2.0"><channel><title>&lol9;</title>
          <item><title>&lol9;</title><enclosure url="https://a.test/1.mp3" type="audio/mpeg"/></item>
        </channel></rss>
        """;

    private const string ExternalEntity = """
        <?xml version="1.0"?>
        <!DOCTYPE rss [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
        <rss version="2.0"><channel><title>&xxe;</title>
          <item><title>&xxe;</title><enclosure url="https://a.test/1.mp3" type="audio/mpeg"/></item>
        </channel></rss>
        """;

    [Theory]
    [InlineData(BillionLaughs)]
    [InlineData(ExternalEntity)]
    public void I_can_try_to_parse_a_feed_with_a_dtd_and_get_it_refused_without_expansion(string xml)
    {
        // Arrange
        var stopwatch = Stopwatch.StartNew();

        // Act
        var error = Assert.Throws<FeedParseException>(() => FeedParser.Parse(xml));
        var fromStream = Assert.Throws<FeedParseException>(() => FeedParser.Parse(new MemoryStream(Encoding.UTF8.GetBytes(xml))));

        // Assert
        output.WriteLine($"{stopwatch.ElapsedMilliseconds} ms: {error.Message}");
        Assert.Contains("DTD", error.Message, StringComparison.Ordinal);
        Assert.Equal(error.Message, fromStream.Message);
        Assert.DoesNotContain("root:", error.Message, StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), "Refusing a DTD must not expand anything.");
    }

    [Fact]
    public void I_can_try_to_parse_malformed_xml_and_get_the_line_of_the_problem()
    {
        // Act
        var error = Assert.Throws<FeedParseException>(() => FeedParser.Parse("<rss><channel>\n<title>x</titel>\n</channel></rss>"));

        // Assert
        Assert.Equal(2, error.LineNumber);
        Assert.Contains("line", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact(Timeout = 60_000)]
    public async Task I_can_try_to_parse_a_50_MB_feed_and_get_a_size_error_without_reading_it_all()
    {
        // Arrange
        await Task.Yield();
        const long size = 50L * 1024 * 1024;
        using var stream = new GeneratedFeedStream(size);
        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var stopwatch = Stopwatch.StartNew();

        // Act
        var error = Assert.Throws<FeedParseException>(() => FeedParser.Parse(stream));

        // Assert
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        output.WriteLine(
            $"{stopwatch.ElapsedMilliseconds} ms, read {stream.BytesRead:N0} bytes, allocated {allocated / (1024 * 1024)} MiB: {error.Message}"
        );
        Assert.Contains("larger than the limit of 32 MiB", error.Message, StringComparison.Ordinal);
        Assert.InRange(stream.BytesRead, 32L * 1024 * 1024, 33L * 1024 * 1024); // stopped at the limit, not at the end
    }

    [Fact]
    public void I_can_try_to_parse_a_seekable_stream_over_the_limit_and_get_refused_before_reading()
    {
        // Arrange
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(FeedFixtures.LargeFeed(50)));
        var options = new FeedParserOptions { MaxBytes = 10_000 };

        // Act
        var error = Assert.Throws<FeedParseException>(() => FeedParser.Parse(stream, options));

        // Assert
        Assert.Contains("larger than the limit of 10000 bytes", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, stream.Position);
    }

    [Fact]
    public void I_can_parse_a_feed_exactly_at_the_size_limit()
    {
        // Arrange
        var bytes = Encoding.UTF8.GetBytes(FeedFixtures.LargeFeed(3));
        var options = new FeedParserOptions { MaxBytes = bytes.Length };

        // Act
        var fromStream = FeedParser.Parse(new NonSeekableStream(bytes), options);
        var fromString = FeedParser.Parse(Encoding.UTF8.GetString(bytes), options);
        var tooSmall = Assert.Throws<FeedParseException>(() =>
            FeedParser.Parse(new NonSeekableStream(bytes), options with { MaxBytes = bytes.Length - 1 })
        );

        // Assert
        Assert.Equal(3, fromStream.Episodes.Count);
        Assert.Equal(3, fromString.Episodes.Count);
        Assert.Contains("larger than the limit", tooSmall.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("..\\..\\windows\\system32")]
    [InlineData("'; DROP TABLE episodes; --")]
    [InlineData("\" OR 1=1 --")]
    [InlineData("Robert'); DELETE FROM feeds;--")]
    [InlineData("%00%2e%2e%2f")]
    [InlineData("<script>alert(1)</script>")]
    public void I_can_parse_hostile_text_in_every_field_as_plain_text(string hostile)
    {
        // Arrange
        var x = System.Security.SecurityElement.Escape(hostile);
        var xml = $"""
            <rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:podcast="https://podcastindex.org/namespace/1.0">
            <channel><title>{x}</title><description>{x}</description><itunes:author>{x}</itunes:author><itunes:category text="{x}"/>
              <item><title>{x}</title><guid>{x}</guid><description>{x}</description><itunes:author>{x}</itunes:author>
                <enclosure url="https://a.test/1.mp3" type="{x}"/><podcast:transcript url="https://a.test/t.vtt" type="{x}" language="{x}"/></item>
            </channel></rss>
            """;

        // Act
        var feed = FeedParser.Parse(xml);

        // Assert
        var episode = Assert.Single(feed.Episodes);
        Assert.All(
            new[]
            {
                feed.Title,
                feed.Description,
                feed.Author,
                feed.Categories[0],
                episode.Title,
                episode.Guid,
                episode.Description,
                episode.Author,
                episode.AudioType,
                episode.Transcripts[0].Type,
                episode.Transcripts[0].Language,
            },
            value => Assert.Equal(hostile, value)
        );
    }

    [Fact]
    public void I_can_parse_titles_with_nul_and_control_characters_and_get_them_removed()
    {
        // Arrange: raw control bytes are illegal XML but occur in real feeds; character references too
        const string xml =
            "<rss version=\"2.0\"><channel><title>Bad\u0001\u0007Show\u001F</title>"
            + "<item><title>Nul&#0;in&#x1;\u0000the\u000Bmiddle\tand&#x7F;del</title><description> line one\r\nline\u0002two </description>"
            + "<enclosure url=\"https://a.test/1.mp3\" type=\"audio/mpeg\"/></item></channel></rss>";

        // Act
        var fromString = FeedParser.Parse(xml);
        var fromStream = FeedParser.Parse(new MemoryStream(Encoding.UTF8.GetBytes(xml)));

        // Assert
        foreach (var feed in new[] { fromString, fromStream })
        {
            Assert.Equal("Bad Show", feed.Title);
            Assert.Equal("Nul in the middle and del", feed.Episodes[0].Title);
            Assert.Equal("line one\nline two", feed.Episodes[0].Description);
        }
    }

    [Fact]
    public void I_can_parse_unicode_and_keep_it()
    {
        // Arrange
        const string xml =
            "<rss><channel><title>Podcast 東京 🎙️ Ünïcödé</title><item><title>Emoji &#x1F600; ok</title>"
            + "<enclosure url=\"https://a.test/%E6%9D%B1.mp3\"/></item></channel></rss>";

        // Act
        var feed = FeedParser.Parse(new MemoryStream(Encoding.UTF8.GetBytes(xml)));

        // Assert
        Assert.Equal("Podcast 東京 🎙️ Ünïcödé", feed.Title);
        Assert.Equal("Emoji 😀 ok", feed.Episodes[0].Title);
    }

    [Theory]
    [InlineData("<!DOCTYPE html>\n<html><head><title>My Podcast</title></head><body><p>Listen!<br></body></html>")]
    [InlineData("<html lang=\"en\"><body>Not a feed</body></html>")]
    [InlineData("<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\"><body/></html>")]
    [InlineData("\uFEFF  <!doctype HTML><html>")]
    public void I_can_try_to_parse_an_html_page_and_get_told_it_is_not_a_feed(string html)
    {
        // Act
        var error = Assert.Throws<FeedParseException>(() => FeedParser.Parse(new MemoryStream(Encoding.UTF8.GetBytes(html))));

        // Assert
        Assert.StartsWith("Not an RSS or Atom feed", error.Message, StringComparison.Ordinal);
        Assert.Contains("HTML", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<rss version=\"2.0\"><item><title>x</title></item></rss>", "<channel>")]
    [InlineData("<opml version=\"2.0\"><body/></opml>", "<opml>")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"/>", "<svg>")]
    public void I_can_try_to_parse_a_document_that_is_no_feed_and_get_a_clear_error(string xml, string mentioned)
    {
        // Act
        var error = Assert.Throws<FeedParseException>(() => FeedParser.Parse(xml));

        // Assert
        Assert.StartsWith("Not an RSS or Atom feed", error.Message, StringComparison.Ordinal);
        Assert.Contains(mentioned, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("just some text")]
    [InlineData("{\"json\": true}")]
    public void I_can_try_to_parse_something_that_is_not_xml_and_get_a_feed_parse_exception(string text)
    {
        // Act & assert
        Assert.Throws<FeedParseException>(() => FeedParser.Parse(text));
        Assert.Throws<FeedParseException>(() => FeedParser.Parse(new MemoryStream(Encoding.UTF8.GetBytes(text))));
    }

    [Fact]
    public void I_can_parse_deeply_nested_markup_without_recursing_and_get_it_refused_inside_an_entry()
    {
        // Arrange
        const int depth = 100_000;
        var nested = string.Concat(Enumerable.Repeat("<x>", depth)) + string.Concat(Enumerable.Repeat("</x>", depth));
        var skipped = $"<rss><channel><title>T</title><junk>{nested}</junk><item><enclosure url=\"https://a.test/1.mp3\"/></item></channel></rss>";
        var read =
            $"<rss><channel><title>T</title><item><description>{nested}</description><enclosure url=\"https://a.test/1.mp3\"/></item></channel></rss>";

        // Act
        var feed = FeedParser.Parse(skipped);
        var error = Assert.Throws<FeedParseException>(() => FeedParser.Parse(read));

        // Assert
        Assert.Single(feed.Episodes);
        Assert.Contains("levels deep", error.Message, StringComparison.Ordinal);
    }

    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
    }
}
