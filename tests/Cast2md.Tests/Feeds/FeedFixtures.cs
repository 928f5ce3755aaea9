using System.Text;

namespace Cast2md.Tests.Feeds;

/// <summary>Small realistic feeds, written here rather than downloaded.</summary>
internal static class FeedFixtures
{
    public const string PodcastRss = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"
             xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
             xmlns:podcast="https://podcastindex.org/namespace/1.0"
             xmlns:content="http://purl.org/rss/1.0/modules/content/"
             xmlns:atom="http://www.w3.org/2005/Atom">
          <channel>
            <title>  The   Example
              Show </title>
            <link>https://example.com/show</link>
            <atom:link href="https://example.com/feed.xml" rel="self" type="application/rss+xml"/>
            <description><![CDATA[<p>A show about <b>examples</b>.</p>]]></description>
            <language>en-us</language>
            <itunes:author>Jane Host</itunes:author>
            <managingEditor>editor@example.com (Someone Else)</managingEditor>
            <itunes:image href="https://example.com/art.jpg"/>
            <image><url>https://example.com/small.jpg</url><title>x</title><link>https://example.com</link></image>
            <itunes:category text="Technology"/>
            <itunes:category text="Society &amp; Culture">
              <itunes:category text="Documentary"/>
            </itunes:category>
            <category>Technology</category>
            <item>
              <title>Episode 2: Transcripts</title>
              <guid isPermaLink="false">ep-2</guid>
              <link>https://example.com/ep2</link>
              <pubDate>Tue, 02 Jan 2024 10:30:00 +0100</pubDate>
              <description>Short description.</description>
              <content:encoded><![CDATA[<p>Long <i>notes</i>.</p>]]></content:encoded>
              <itunes:author>Guest Star</itunes:author>
              <itunes:duration>01:02:03</itunes:duration>
              <itunes:image href="https://example.com/ep2.jpg"/>
              <enclosure url="https://cdn.example.com/ep2.mp3?token=abc" type="audio/mpeg" length="12345678"/>
              <podcast:transcript url="https://example.com/ep2.html" type="text/html"/>
              <podcast:transcript url="https://example.com/ep2.json" type="application/json" language="en"/>
              <podcast:transcript url="https://example.com/ep2.vtt" type="text/vtt" language="en" rel="captions"/>
              <podcast:chapters url="https://example.com/ep2.chapters.json" type="application/json+chapters"/>
            </item>
            <item>
              <title>Episode 1: Hello</title>
              <guid>ep-1</guid>
              <pubDate>Mon, 1 Jan 2024 08:00:00 GMT</pubDate>
              <itunes:duration>754</itunes:duration>
              <enclosure url="https://cdn.example.com/ep1.m4a" type="audio/x-m4a" length="0"/>
            </item>
            <item>
              <title>A blog post without audio</title>
              <guid>post-1</guid>
              <link>https://example.com/post</link>
            </item>
          </channel>
        </rss>
        """;

    public const string AtomFeed = """
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de">
          <title type="text">Atom Cast</title>
          <subtitle>Ein Podcast im Atom-Format</subtitle>
          <link rel="self" href="https://atom.example.org/feed.atom"/>
          <link rel="alternate" href="https://atom.example.org/"/>
          <logo>https://atom.example.org/logo.png</logo>
          <author><name>Anna Autorin</name><email>anna@example.org</email></author>
          <category term="Wissen"/>
          <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
          <updated>2024-03-01T12:00:00Z</updated>
          <entry>
            <title>Folge 1</title>
            <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
            <link rel="alternate" type="text/html" href="https://atom.example.org/1"/>
            <link rel="enclosure" type="audio/ogg" length="98765" href="https://atom.example.org/1.ogg"/>
            <published>2024-02-29T18:15:00+01:00</published>
            <updated>2024-03-01T09:00:00Z</updated>
            <summary>Zusammenfassung</summary>
            <author><name>Bernd Gast</name></author>
          </entry>
          <entry>
            <title>Nur ein Text</title>
            <id>urn:uuid:text-only</id>
            <link href="https://atom.example.org/text"/>
            <updated>2024-03-01T09:00:00Z</updated>
          </entry>
        </feed>
        """;

    public const string MediaRss = """
        <rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/">
          <channel>
            <title>Media Show</title>
            <item>
              <title>Grouped</title>
              <guid>m-1</guid>
              <media:group>
                <media:content url="https://media.example.net/1.mp4" type="video/mp4" medium="video" fileSize="999"/>
                <media:content url="https://media.example.net/1.opus" medium="audio" fileSize="555"/>
              </media:group>
            </item>
            <item>
              <title>Typed</title>
              <guid>m-2</guid>
              <media:content url="https://media.example.net/2" type="audio/mpeg"/>
            </item>
            <item>
              <title>Video only</title>
              <guid>m-3</guid>
              <enclosure url="https://media.example.net/3.mp4" type="video/mp4" length="42"/>
            </item>
            <item>
              <title>Audio beats video</title>
              <guid>m-4</guid>
              <enclosure url="https://media.example.net/4.mp4" type="video/mp4"/>
              <enclosure url="https://media.example.net/4.flac" type=""/>
            </item>
            <item>
              <title>An image is not an episode</title>
              <guid>m-5</guid>
              <media:content url="https://media.example.net/5.jpg" type="image/jpeg" medium="image"/>
            </item>
          </channel>
        </rss>
        """;

    /// <summary>An RSS feed with <paramref name="items"/> episodes, built in memory.</summary>
    public static string LargeFeed(int items)
    {
        var builder = new StringBuilder(items * 700);
        builder.Append(
            """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:podcast="https://podcastindex.org/namespace/1.0"><channel><title>Big</title>"""
        );
        for (var i = 0; i < items; i++)
            builder.Append(Item(i));
        builder.Append("</channel></rss>");
        return builder.ToString();
    }

    public static string Item(int i) =>
        $"""
            <item><title>Episode {i}: a title of a usual length</title><guid isPermaLink="false">guid-{i}</guid>
            <pubDate>Mon, 01 Jan 2024 08:00:00 GMT</pubDate><itunes:duration>00:42:{i % 60:00}</itunes:duration>
            <description><![CDATA[<p>Show notes for episode {i}, with a <a href="https://example.com/{i}">link</a> and some text &amp; more.</p>]]></description>
            <enclosure url="https://cdn.example.com/{i}.mp3" type="audio/mpeg" length="{1000 + i}"/>
            <podcast:transcript url="https://example.com/{i}.vtt" type="text/vtt"/></item>

            """;
}

/// <summary>
/// A feed of <paramref name="totalBytes"/> bytes produced while it is read — header, repeated items, footer — so a
/// test can offer a huge feed without holding it in memory. Counts what was read.
/// </summary>
internal sealed class GeneratedFeedStream(long totalBytes) : Stream
{
    private static readonly byte[] Header = Encoding.UTF8.GetBytes(
        """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:podcast="https://podcastindex.org/namespace/1.0"><channel><title>Huge</title>"""
    );
    private static readonly byte[] Footer = Encoding.UTF8.GetBytes("</channel></rss>");
    private readonly byte[] _item = Encoding.UTF8.GetBytes(FeedFixtures.Item(7).Replace("guid-7", "same-guid", StringComparison.Ordinal));
    private long _position;

    public long BytesRead => _position;

    public override int Read(byte[] buffer, int offset, int count)
    {
        var written = 0;
        while (written < count && _position < totalBytes)
        {
            var remaining = totalBytes - _position;
            byte value;
            if (_position < Header.Length)
                value = Header[_position];
            else if (remaining <= Footer.Length)
                value = Footer[Footer.Length - remaining];
            else
            {
                // Whole items only; the gap before the footer that cannot hold one more is padded with spaces.
                var inItem = (_position - Header.Length) % _item.Length;
                var itemFits = _position - inItem + _item.Length <= totalBytes - Footer.Length;
                value = itemFits ? _item[inItem] : (byte)' ';
            }
            buffer[offset + written++] = value;
            _position++;
        }

        return written;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override void Flush() { }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
