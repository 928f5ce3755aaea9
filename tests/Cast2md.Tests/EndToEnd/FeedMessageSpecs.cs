using System.Text.RegularExpressions;
using Cast2md.Tests.Infra;
using CliWrap;
using CliWrap.Buffered;
using Xunit;

namespace Cast2md.Tests.EndToEnd;

/// <summary>
/// What a user reads when a feed cannot be used, from the published binary (whose runtime messages are resource
/// keys): one sentence of ours per problem, the URL named once, never "Xml_…", "SR.…" or "net_http_…".
/// </summary>
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed partial class FeedMessageSpecs
{
    [GeneratedRegex(@"\b(Xml_|SR\.|net_http|Arg_|IO_|Sockets_)\w*")]
    private static partial Regex ResourceKey();

    public static TheoryData<string, string> BrokenFeeds =>
        new()
        {
            { "/malformed.xml", "line 2, column" },
            { "/missing.xml", "HTTP 404" },
            { "/html.html", "HTML page" },
            { "/dtd.xml", "DTD" },
            { "/no-audio.xml", "none with an audio or video enclosure" },
            { "/bad-gzip.xml", "cannot be decompressed" },
            { "/not-xml.txt", "not well-formed XML" },
            { "/opml.xml", "root element is <opml>" },
            { "/refused", "refused" },
            { "/empty.xml", "is empty" },
        };

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(BrokenFeeds))]
    public async Task I_can_try_to_add_a_broken_feed_and_read_one_sentence_of_ours(string path, string expected)
    {
        // Arrange
        await using var server = FixtureServer.Start();
        server.MapText("/malformed.xml", "<rss version=\"2.0\"><channel>\n<title>x</titel></channel></rss>", "application/rss+xml");
        server.MapStatus("/missing.xml", 404);
        server.MapText("/html.html", "<!DOCTYPE html><html><body>site</body></html>", "text/html");
        server.MapText(
            "/dtd.xml",
            "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY a \"b\">]><rss><channel><title>&a;</title></channel></rss>",
            "application/rss+xml"
        );
        server.MapText("/no-audio.xml", "<rss><channel><title>Blog</title><item><title>Post</title></item></channel></rss>", "application/rss+xml");
        server.Map("/bad-gzip.xml", FixtureResponse.Bytes([0x1F, 0x8B, 0x08, 0x00, 0x01, 0x02, 0x03], "application/rss+xml"));
        server.MapText("/not-xml.txt", "just some text", "text/plain");
        server.MapText("/empty.xml", "", "application/rss+xml");
        server.MapText("/opml.xml", "<opml version=\"2.0\"><body/></opml>", "text/xml");
        var url = path == "/refused" ? $"http://127.0.0.1:{ServeProcess.FreePort()}/feed.xml" : server.Url(path).ToString();
        using var dir = TempDir.Create();

        // Act
        var result = await Cast2mdBinary
            .Command(["feed", "add", url, "--data-dir", dir.Combine("data")])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();

        // Assert
        var message = result.StandardError;
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.DoesNotMatch(ResourceKey(), message);
        Assert.Single(Regex.Matches(message, Regex.Escape(url)));
        Assert.DoesNotMatch(@"(?i)could not fetch.*could not fetch", message);
        Assert.DoesNotContain("   at ", message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task I_can_import_an_opml_file_with_the_cli_and_export_it_again()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        server.MapText(
            "/a.xml",
            $"<rss><channel><title>Alpha</title><item><guid>1</guid><enclosure url=\"{server.Url("/1.mp3")}\" type=\"audio/mpeg\"/></item></channel></rss>",
            "application/rss+xml"
        );
        server.MapStatus("/gone.xml", 410);
        using var dir = TempDir.Create();
        var opml = dir.Combine("subs.opml");
        await File.WriteAllTextAsync(
            opml,
            $"<opml version=\"2.0\"><body><outline text=\"Alpha\" xmlUrl=\"{server.Url("/a.xml")}\"/><outline text=\"Gone\" xmlUrl=\"{server.Url("/gone.xml")}\"/></body></opml>"
        );
        var data = dir.Combine("data");

        // Act
        var imported = await Cast2mdBinary
            .Command(["feed", "import", opml, "--data-dir", data])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        var again = await Cast2mdBinary
            .Command(["feed", "import", opml, "--json", "--data-dir", data])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        var exported = await Cast2mdBinary.Command(["feed", "export", "--opml", "--data-dir", data]).ExecuteBufferedAsync();

        // Assert
        Assert.Equal(1, imported.ExitCode); // one feed failed
        Assert.Contains("1 added, 0 already subscribed, 1 failed", imported.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("HTTP 410", imported.StandardError, StringComparison.Ordinal);
        Assert.Contains("\"existing\":1", again.StandardOutput.Replace(" ", ""), StringComparison.Ordinal);
        Assert.Contains($"xmlUrl=\"{server.Url("/a.xml")}\"", exported.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("title=\"Alpha\"", exported.StandardOutput, StringComparison.Ordinal);
    }
}
