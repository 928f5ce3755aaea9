using System.Net;
using System.Text;
using Cast2md.Feeds;
using Cast2md.Feeds.Opml;
using Cast2md.Library;
using Cast2md.Services;
using Cast2md.Tests.Api;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.Feeds;

/// <summary>Subscribing as the real world needs it: paged archives, empty feeds, one feed under many URLs, OPML in and out.</summary>
public sealed class FeedSubscriptionSpecs
{
    private static string Page(FixtureServer server, int page, int perPage, string? next, string nextStyle = "atom") =>
        $"<?xml version=\"1.0\"?><rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\"><channel><title>Archive</title>"
        + (
            next is null ? ""
            : nextStyle == "atom" ? $"<atom:link rel=\"next\" href=\"{next}\"/>"
            : $"<atom:link rel=\"next\" href=\"{next}\" type=\"application/rss+xml\"/>"
        )
        + string.Concat(
            Enumerable
                .Range(page * perPage, perPage)
                .Select(i =>
                    $"<item><title>Episode {i}</title><guid>g{i}</guid><enclosure url=\"{server.Url($"/a/{i}.mp3")}\" type=\"audio/mpeg\"/></item>"
                )
        )
        + "</channel></rss>";

    private static Cast2mdCore Core(TempDir dir, Func<string, string?>? environment = null) =>
        Cast2mdCore.Open(dir.Combine("data"), environment ?? (_ => null));

    [Fact(Timeout = 60_000)]
    public async Task I_can_subscribe_to_a_paged_feed_and_get_every_page_in_order()
    {
        // Arrange: 10 pages of 50, linked with rel="next" (relative on the later pages, as WordPress writes them).
        await using var server = FixtureServer.Start();
        for (var p = 0; p < 10; p++)
            server.MapText(
                $"/feed/{p}.xml",
                Page(
                    server,
                    p,
                    50,
                    p == 9 ? null
                        : p == 0 ? server.Url("/feed/1.xml").ToString()
                        : $"{p + 1}.xml"
                ),
                "application/rss+xml"
            );
        using var dir = TempDir.Create();
        var core = Core(dir);

        // Act
        var added = await core.FeedService.AddAsync(server.Url("/feed/0.xml").ToString());

        // Assert
        Assert.Equal(500, added.NewEpisodes);
        Assert.Empty(added.Warnings);
        var (episodes, total) = core.Episodes.ListByFeed(added.Feed.Id, limit: 1000);
        Assert.Equal(500, total);
        Assert.Equal(Enumerable.Range(0, 500).Select(i => $"g{i}").Order(), episodes.Select(e => e.Guid).Order());
        Assert.All(Enumerable.Range(0, 10), p => Assert.Single(server.RequestsTo($"/feed/{p}.xml")));
    }

    [Fact(Timeout = 60_000)]
    public async Task I_can_subscribe_to_a_paged_feed_whose_pages_loop_and_each_page_is_fetched_once()
    {
        // Arrange: page 2 links back to page 1.
        await using var server = FixtureServer.Start();
        server.MapText("/p1.xml", Page(server, 0, 3, server.Url("/p2.xml").ToString()), "application/rss+xml");
        server.MapText("/p2.xml", Page(server, 1, 3, server.Url("/P1.xml?").ToString().Replace("/P1.xml?", "/p1.xml")), "application/rss+xml");
        using var dir = TempDir.Create();

        // Act
        var added = await Core(dir).FeedService.AddAsync(server.Url("/p1.xml").ToString());

        // Assert
        Assert.Equal(6, added.NewEpisodes);
        Assert.Single(server.RequestsTo("/p1.xml"));
        Assert.Single(server.RequestsTo("/p2.xml"));
    }

    [Fact(Timeout = 60_000)]
    public async Task I_can_cap_the_pages_read_with_feed_max_pages_and_get_told_so()
    {
        // Arrange: an endless archive; every page links the next.
        await using var server = FixtureServer.Start();
        server.MapPrefix("/endless", r =>
            FixtureResponse.Text(Page(server, int.Parse(r.Path.Split('/')[^1]), 2, $"{int.Parse(r.Path.Split('/')[^1]) + 1}"), "application/rss+xml")
        );
        using var dir = TempDir.Create();

        // Act
        var added = await Core(dir, name => name == "FEED_MAX_PAGES" ? "5" : null).FeedService.AddAsync(server.Url("/endless/0").ToString());

        // Assert
        Assert.Equal(10, added.NewEpisodes);
        Assert.Equal(5, server.Requests.Count);
        Assert.Contains(added.Warnings, w => w.Contains("more than 5 pages", StringComparison.Ordinal));
    }

    [Fact(Timeout = 60_000)]
    public async Task I_can_subscribe_to_a_paged_feed_with_a_broken_page_and_keep_the_pages_before_it()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        server.MapText("/p1.xml", Page(server, 0, 3, server.Url("/p2.xml").ToString()), "application/rss+xml");
        server.MapText("/p2.xml", Page(server, 1, 3, server.Url("/p3.xml").ToString()), "application/rss+xml");
        server.MapStatus("/p3.xml", 500);
        using var dir = TempDir.Create();

        // Act
        var added = await Core(dir).FeedService.AddAsync(server.Url("/p1.xml").ToString());

        // Assert
        Assert.Equal(6, added.NewEpisodes);
        var warning = Assert.Single(added.Warnings);
        Assert.Contains("Page 3", warning, StringComparison.Ordinal);
        Assert.Contains("HTTP 500", warning, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task I_can_refresh_a_paged_feed_and_its_pages_are_read_only_when_the_first_page_changed()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        server.Map("/p1.xml", FixtureResponse.Text(Page(server, 0, 3, server.Url("/p2.xml").ToString()), "application/rss+xml").WithETag("\"v1\""));
        server.MapText("/p2.xml", Page(server, 1, 3, null), "application/rss+xml");
        using var dir = TempDir.Create();
        var core = Core(dir);
        var added = await core.FeedService.AddAsync(server.Url("/p1.xml").ToString());

        // Act
        var unchanged = await core.FeedService.RefreshAsync(added.Feed.Id);
        server.Map(
            "/p1.xml",
            FixtureResponse
                .Text(
                    Page(server, 0, 3, server.Url("/p2.xml").ToString())
                        .Replace(
                            "<item>",
                            "<item><title>New</title><guid>new</guid><enclosure url=\"https://n.test/n.mp3\" type=\"audio/mpeg\"/></item><item>",
                            StringComparison.Ordinal
                        ),
                    "application/rss+xml"
                )
                .WithETag("\"v2\"")
        );
        var changed = await core.FeedService.RefreshAsync(added.Feed.Id);

        // Assert
        Assert.True(unchanged.NotModified);
        Assert.Equal(1, changed.NewEpisodes);
        Assert.Equal(2, server.RequestsTo("/p2.xml").Count); // at subscription and after the change, not on the 304
    }

    [Fact(Timeout = 60_000)]
    public async Task I_can_refresh_a_paged_feed_and_the_walk_stops_at_the_first_page_with_nothing_new()
    {
        // Arrange: three pages; after subscribing, a new episode appears on page 1 only.
        await using var server = FixtureServer.Start();
        server.MapText("/p1.xml", Page(server, 0, 3, server.Url("/p2.xml").ToString()), "application/rss+xml");
        server.MapText("/p2.xml", Page(server, 1, 3, server.Url("/p3.xml").ToString()), "application/rss+xml");
        server.MapText("/p3.xml", Page(server, 2, 3, null), "application/rss+xml");
        using var dir = TempDir.Create();
        var core = Core(dir);
        var added = await core.FeedService.AddAsync(server.Url("/p1.xml").ToString());
        server.MapText(
            "/p1.xml",
            Page(server, 0, 3, server.Url("/p2.xml").ToString())
                .Replace(
                    "<item>",
                    "<item><title>New</title><guid>new</guid><enclosure url=\"https://n.test/n.mp3\" type=\"audio/mpeg\"/></item><item>",
                    StringComparison.Ordinal
                ),
            "application/rss+xml"
        );

        // Act
        var refreshed = await core.FeedService.RefreshAsync(added.Feed.Id);

        // Assert
        Assert.Equal(1, refreshed.NewEpisodes);
        Assert.Equal(2, server.RequestsTo("/p2.xml").Count); // page 2 still read: page 1 had something new
        Assert.Single(server.RequestsTo("/p3.xml")); // page 2 had nothing new, so page 3 was not read again
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_subscribe_to_a_feed_that_has_no_items_yet()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        server.MapText(
            "/soon.xml",
            "<rss version=\"2.0\"><channel><title>Coming Soon</title><description>Launching next month</description></channel></rss>",
            "application/rss+xml"
        );
        using var dir = TempDir.Create();
        var core = Core(dir);

        // Act
        var added = await core.FeedService.AddAsync(server.Url("/soon.xml").ToString());

        // Assert
        Assert.Equal("Coming Soon", added.Feed.Title);
        Assert.Equal(0, added.NewEpisodes);
        Assert.Single(core.Feeds.List());
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_try_to_subscribe_to_a_feed_whose_items_have_no_audio_and_get_told_how_many_there_are()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        server.MapText(
            "/blog.xml",
            "<rss version=\"2.0\"><channel><title>Blog</title>"
                + string.Concat(Enumerable.Range(1, 12).Select(i => $"<item><title>Post {i}</title><link>https://b.test/{i}</link></item>"))
                + "</channel></rss>",
            "application/rss+xml"
        );
        using var dir = TempDir.Create();
        var core = Core(dir);

        // Act
        var error = await Assert.ThrowsAsync<InvalidRequestException>(() => core.FeedService.AddAsync(server.Url("/blog.xml").ToString()));

        // Assert
        Assert.Contains("has 12 items, none with an audio or video enclosure", error.Message, StringComparison.Ordinal);
        Assert.Empty(core.Feeds.List());
    }

    [Theory(Timeout = 30_000)]
    [InlineData("http://localhost:{port}/x.xml")]
    [InlineData("HTTP://127.0.0.1:{port}/x.xml")]
    [InlineData("http://LOCALHOST:{port}/x.xml/")]
    [InlineData("http://[::1]:{port}/x.xml#top")]
    [InlineData("  http://127.0.0.1:{port}/x.xml  ")]
    public async Task I_can_try_to_subscribe_to_the_same_feed_under_another_spelling_and_get_told_which_feed_it_duplicates(string variant)
    {
        // Arrange
        await using var server = FixtureServer.Start();
        server.MapText("/x.xml", Page(server, 0, 1, null), "application/rss+xml");
        using var dir = TempDir.Create();
        var core = Core(dir);
        var first = await core.FeedService.AddAsync(server.Url("/x.xml").ToString());

        // Act
        var error = await Assert.ThrowsAsync<DuplicateFeedException>(() =>
            core.FeedService.AddAsync(variant.Replace("{port}", server.BaseUrl.Port.ToString()))
        );

        // Assert
        Assert.Equal(first.Feed.Id, error.ExistingFeedId);
        Assert.Contains($"feed {first.Feed.Id} \"Archive\"", error.Message, StringComparison.Ordinal);
        Assert.Single(core.Feeds.List());
    }

    [Fact]
    public void I_can_store_a_feed_url_with_scheme_and_host_in_lower_case_and_without_the_default_port()
    {
        // Act & assert
        Assert.Equal("https://example.com/Feed.xml", FeedUrl.Normalize("HTTPS://Example.COM:443/Feed.xml#x"));
        Assert.Equal("http://example.com/a?b=1", FeedUrl.Normalize("http://example.com:80/a?b=1"));
        Assert.Equal("https://example.com/feed", FeedUrl.Normalize("example.com/feed"));
        Assert.Null(FeedUrl.Normalize("ftp://example.com/feed"));
        Assert.NotEqual(FeedUrl.Key("https://example.com/feed"), FeedUrl.Key("http://example.com/feed"));
        Assert.NotEqual(FeedUrl.Key("https://example.com/Feed"), FeedUrl.Key("https://example.com/feed"));
    }

    private const string Opml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <opml version="2.0">
          <head><title>AntennaPod Subscriptions</title></head>
          <body>
            <outline text="Good" title="Good" type="rss" xmlUrl="{good}" htmlUrl="https://good.test/"/>
            <outline text="Folder">
              <outline text="Nested &amp; fine" type="rss" xmlurl="{nested}"/>
              <outline text="Gone" type="rss" xmlUrl="{gone}"/>
              <outline text="Not a feed" type="rss" xmlUrl="{html}"/>
            </outline>
            <outline text="Good again" type="rss" xmlUrl="{good}"/>
            <outline text="Already" type="rss" xmlUrl="{existing}"/>
          </body>
        </opml>
        """;

    [Fact(Timeout = 60_000)]
    public async Task I_can_import_an_opml_file_through_the_api_and_get_a_result_per_feed_with_bad_feeds_not_stopping_the_others()
    {
        // Arrange
        await using var feeds = FixtureServer.Start();
        feeds.MapText("/good.xml", Page(feeds, 0, 2, null), "application/rss+xml");
        feeds.MapText("/nested.xml", Page(feeds, 1, 1, null).Replace("Archive", "Nested"), "application/rss+xml");
        feeds.MapText("/existing.xml", Page(feeds, 2, 1, null).Replace("Archive", "Existing"), "application/rss+xml");
        feeds.MapText("/page.html", "<html><body>hi</body></html>", "text/html");
        feeds.MapStatus("/gone.xml", 404);
        await using var server = await ApiServer.StartAsync();
        await server.Core.FeedService.AddAsync(feeds.Url("/existing.xml").ToString());
        var opml = Opml.Replace("{good}", feeds.Url("/good.xml").ToString())
            .Replace("{nested}", feeds.Url("/nested.xml").ToString())
            .Replace("{gone}", feeds.Url("/gone.xml").ToString())
            .Replace("{html}", feeds.Url("/page.html").ToString())
            .Replace("{existing}", feeds.Url("/existing.xml").ToString());

        // Act
        using var content = new StringContent(opml, Encoding.UTF8, "text/x-opml");
        var response = await server.Http.PostAsync("/api/feeds/import", content);

        // Assert
        var json = await ApiAssert.StatusAsync(HttpStatusCode.OK, response);
        Assert.Equal(2, json.GetProperty("added").GetInt32());
        Assert.Equal(1, json.GetProperty("existing").GetInt32());
        Assert.Equal(2, json.GetProperty("failed").GetInt32());
        var results = json.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["added", "added", "failed", "failed", "exists"], results.Select(r => r.GetProperty("status").GetString()));
        Assert.Contains("404", results[2].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("HTML", results[3].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, server.Core.Feeds.List().Count);
    }

    [Fact(Timeout = 60_000)]
    public async Task I_can_export_my_subscriptions_as_opml_and_import_them_into_another_server()
    {
        // Arrange
        await using var feeds = FixtureServer.Start();
        feeds.MapText("/a.xml", Page(feeds, 0, 1, null).Replace("Archive", "Show A & Friends"), "application/rss+xml");
        feeds.MapText("/b.xml", Page(feeds, 1, 1, null).Replace("Archive", "Show B"), "application/rss+xml");
        await using var first = await ApiServer.StartAsync();
        await first.Core.FeedService.AddAsync(feeds.Url("/a.xml").ToString());
        await first.Core.FeedService.AddAsync(feeds.Url("/b.xml").ToString());

        // Act
        var exported = await first.Http.GetAsync("/api/feeds/export.opml");
        var opml = await exported.Content.ReadAsStringAsync();
        var outlines = OpmlDocument.Read(new MemoryStream(Encoding.UTF8.GetBytes(opml)));
        using var second = TempDir.Create();
        var imported = await Core(second).FeedService.ImportOpmlAsync(outlines);

        // Assert
        Assert.Equal(HttpStatusCode.OK, exported.StatusCode);
        Assert.StartsWith("text/x-opml", exported.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.Contains("<opml version=\"2.0\">", opml, StringComparison.Ordinal);
        Assert.Equal(["Show A & Friends", "Show B"], outlines.Select(o => o.Title));
        Assert.All(imported, i => Assert.Equal(OpmlImportStatus.Added, i.Status));
    }

    [Theory]
    [InlineData("<html><body/></html>", "root element is <html>")]
    [InlineData("<opml><body><outline xmlUrl=\"x\"></body></opml>", "line 1")]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE opml [<!ENTITY x \"y\">]><opml/>", "DTD")]
    public void I_can_try_to_import_a_file_that_is_not_opml_and_get_a_sentence(string text, string expected)
    {
        // Act
        var error = Assert.Throws<Cast2md.Feeds.FeedParseException>(() => OpmlDocument.Read(new MemoryStream(Encoding.UTF8.GetBytes(text))));

        // Assert
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
