using Cast2md.Tests.Infra;

namespace Cast2md.Tests.EndToEnd;

/// <summary>A podcast on the loopback fixture server: an RSS feed, jfk.mp3 as its audio, optionally a publisher transcript.</summary>
internal static class PodcastFixture
{
    public const string Vtt =
        "WEBVTT\n\n00:00:00.000 --> 00:00:04.000\nAnd so, my fellow Americans,\n\n00:00:04.000 --> 00:00:11.000\nask not what your country can do for you, ask what you can do for your country.\n";

    public static FixtureServer Serve(bool withTranscript = false, string title = "Speeches & Talks")
    {
        var server = FixtureServer.Start();
        server.MapFile("/audio/jfk.mp3", Paths.JfkMp3, "audio/mpeg");
        server.MapText("/transcripts/jfk.vtt", Vtt, "text/vtt");
        var transcript = withTranscript ? $"""<podcast:transcript url="{server.Url("/transcripts/jfk.vtt")}" type="text/vtt" language="en" />""" : "";
        server.MapText(
            "/feed.xml",
            $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:podcast="https://podcastindex.org/namespace/1.0">
              <channel>
                <title>{System.Security.SecurityElement.Escape(title)}</title>
                <link>https://example.test/</link>
                <description>Test podcast</description>
                <item>
                  <title>Inaugural Address</title>
                  <guid>jfk-1961</guid>
                  <pubDate>Fri, 20 Jan 1961 17:00:00 GMT</pubDate>
                  <enclosure url="{server.Url("/audio/jfk.mp3")}" type="audio/mpeg" length="76447" />
                  <itunes:duration>00:00:11</itunes:duration>
                  {transcript}
                </item>
              </channel>
            </rss>
            """,
            "application/rss+xml"
        );
        return server;
    }
}
