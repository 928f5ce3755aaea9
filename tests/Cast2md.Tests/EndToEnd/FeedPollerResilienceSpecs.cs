using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.EndToEnd;

/// <summary>
/// One feed of the kind that used to hang the server (a repeated element) and one that never finishes sending,
/// among ten: `serve` subscribes them all, its poller polls every other feed, and SIGTERM still stops it in time.
/// </summary>
[Collection(RealProcessesCollection.Name)]
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed class FeedPollerResilienceSpecs
{
    private static string Feed(FixtureServer server, string title, int items, bool repeatElements = false) =>
        "<?xml version=\"1.0\"?><rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel>"
        + $"<title>{title}</title>"
        + (
            repeatElements
                ? $"<title>{title} again</title><image><url>https://a.test/1.jpg</url></image><image><url>https://a.test/2.jpg</url></image>"
                : ""
        )
        + string.Concat(
            Enumerable
                .Range(1, items)
                .Select(i =>
                    $"<item><title>{title} {i}</title><guid>{title}-{i}</guid>"
                    + (
                        repeatElements
                            ? $"<guid>dup-{i}</guid><pubDate>Mon, 01 Jan 2024 08:00:00 GMT</pubDate><dc:date>2024-01-01</dc:date><author>a@b.test</author><dc:creator>A</dc:creator>"
                            : ""
                    )
                    + $"<enclosure url=\"{server.Url($"/a/{title}/{i}.mp3")}\" type=\"audio/mpeg\"/></item>"
                )
        )
        + "</channel></rss>";

    [Fact(Timeout = 120_000)]
    public async Task I_can_run_a_server_whose_ten_feeds_include_a_repeated_element_feed_and_a_stalled_one_and_it_polls_the_rest_and_stops_on_sigterm()
    {
        // Arrange: "Zz Stalled" sorts last, so the poller reaches it after the nine others.
        await using var feeds = FixtureServer.Start();
        var titles = Enumerable.Range(0, 9).Select(i => $"Show {i}").Append("Zz Stalled").ToList();
        for (var i = 0; i < titles.Count; i++)
            feeds.MapText($"/f{i}.xml", Feed(feeds, titles[i], 1, repeatElements: i == 3), "application/rss+xml");
        using var dir = TempDir.Create();
        await using var server = await ServeProcess.StartAsync(dir.Combine("data"), new Dictionary<string, string?> { ["REQUEST_TIMEOUT"] = "60" });
        using var http = server.Client();
        for (var i = 0; i < titles.Count; i++)
        {
            var added = await http.PostAsJsonAsync("/api/feeds", new { url = feeds.Url($"/f{i}.xml").ToString() });
            Assert.True(added.IsSuccessStatusCode, $"{titles[i]}: {(int)added.StatusCode} {await added.Content.ReadAsStringAsync()}");
        }

        // Act: every feed gets a second episode; the last one now sends its headers and then nothing.
        for (var i = 0; i < titles.Count; i++)
        {
            var response = FixtureResponse.Text(Feed(feeds, titles[i], 2, repeatElements: i == 3), "application/rss+xml");
            feeds.Map($"/f{i}.xml", i == 9 ? response.Stalled() : response);
        }
        await Eventually.TrueAsync(
            () => EpisodeCounts(http).Count(c => c.Value == 2) == 9,
            TimeSpan.FromSeconds(75),
            "the first poll (30 s after start) reaches the nine answering feeds"
        );
        await Eventually.TrueAsync(
            () => feeds.RequestsTo("/f9.xml").Count == 2,
            TimeSpan.FromSeconds(10),
            "the poller is waiting on the stalled feed"
        );
        var stopwatch = Stopwatch.StartNew();
        server.Terminate();
        await server.Exited.WaitAsync(TimeSpan.FromSeconds(15));

        // Assert
        stopwatch.Stop();
        Assert.True(
            stopwatch.Elapsed < TimeSpan.FromSeconds(10),
            $"SIGTERM took {stopwatch.Elapsed.TotalSeconds:0.0} s while the poller waited on a stalled feed."
        );
        Assert.Equal(1, EpisodeCountsAfterExit(dir.Combine("data"))["Zz Stalled"]);
    }

    private static Dictionary<string, int> EpisodeCounts(HttpClient http)
    {
        using var document = JsonDocument.Parse(http.GetStringAsync("/api/feeds").GetAwaiter().GetResult());
        return document
            .RootElement.GetProperty("feeds")
            .EnumerateArray()
            .ToDictionary(f => f.GetProperty("title").GetString()!, f => f.GetProperty("episode_count").GetInt32());
    }

    private static Dictionary<string, int> EpisodeCountsAfterExit(string data)
    {
        var core = Cast2md.Services.Cast2mdCore.Open(data, _ => null);
        return core.Feeds.List().ToDictionary(f => f.Title, f => f.EpisodeCount);
    }
}
