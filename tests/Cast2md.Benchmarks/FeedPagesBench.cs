using System.Diagnostics;
using System.Net;
using System.Text;
using Cast2md.Feeds;
using Cast2md.Services;

namespace Cast2md.Benchmarks;

/// <summary>
/// A paged feed of N pages linked by rel="next", served on loopback: the parse of every page (median of 7 after
/// 2 warm-ups), and one whole subscription through FeedService (fetch every page, parse, store the episodes).
/// </summary>
internal static class FeedPagesBench
{
    public static async Task<int> RunAsync(int pages, int perPage)
    {
        var port = FreePort();
        var prefix = $"http://127.0.0.1:{port}/";
        var bodies = Enumerable.Range(0, pages).Select(p => Encoding.UTF8.GetBytes(Page(prefix, p, pages, perPage))).ToArray();
        var times = new List<double>();
        for (var run = 0; run < 9; run++)
        {
            var clock = Stopwatch.StartNew();
            var count = bodies.Sum(b => FeedParser.Parse(new MemoryStream(b)).Episodes.Count);
            clock.Stop();
            if (count != pages * perPage)
                throw new InvalidOperationException("wrong episode count");
            if (run >= 2)
                times.Add(clock.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        using var listener = new HttpListener();
        listener.Prefixes.Add(prefix);
        listener.Start();
        using var stop = new CancellationTokenSource();
        var serving = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var context = await listener.GetContextAsync();
                var page = int.Parse(context.Request.Url!.AbsolutePath.Trim('/').Replace("page", "", StringComparison.Ordinal));
                context.Response.ContentType = "application/rss+xml";
                await context.Response.OutputStream.WriteAsync(bodies[page]);
                context.Response.Close();
            }
        });
        var dir = Path.Combine(Path.GetTempPath(), "cast2md-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            var core = Cast2mdCore.Open(dir, name => name == "FEED_MAX_PAGES" ? pages.ToString() : null);
            var subscribe = Stopwatch.StartNew();
            var added = await core.FeedService.AddAsync(prefix + "page0");
            subscribe.Stop();
            Console.WriteLine(
                $"feed-pages pages={pages} items={pages * perPage} bytes={bodies.Sum(b => b.Length)} parse_median_ms={times[times.Count / 2]:0.0} "
                    + $"subscribe_ms={subscribe.Elapsed.TotalMilliseconds:0} stored={added.NewEpisodes}"
            );
        }
        finally
        {
            stop.Cancel();
            listener.Stop();
            Directory.Delete(dir, recursive: true);
        }

        return 0;
    }

    private static string Page(string prefix, int page, int pages, int perPage)
    {
        var xml = new StringBuilder(
            $"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>Paged</title>"""
        );
        if (page + 1 < pages)
            xml.Append($"""<atom:link rel="next" href="{prefix}page{page + 1}"/>""");
        for (var i = page * perPage; i < (page + 1) * perPage; i++)
            xml.Append(
                $"""<item><title>Episode {i}</title><guid>guid-{i}</guid><pubDate>Mon, 02 Jan 2023 10:00:00 +0000</pubDate><description>Show notes {i}. {new string('x', 400)}</description><enclosure url="https://cdn.example.test/{i}.mp3" type="audio/mpeg" length="12345678"/><itunes:duration>01:02:03</itunes:duration></item>"""
            );
        return xml.Append("</channel></rss>").ToString();
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
