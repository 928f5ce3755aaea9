// dotnet run -c Release --project tests/Cast2md.Benchmarks -- feed-parse [items]
// dotnet run -c Release --project tests/Cast2md.Benchmarks -- feed-pages [pages] [items per page]
// dotnet run -c Release --project tests/Cast2md.Benchmarks -- queue [workers] [jobs]
// dotnet run -c Release --project tests/Cast2md.Benchmarks -- dispatch URL DATA_DIR long|poll [samples]
// dotnet run -c Release --project tests/Cast2md.Benchmarks -- claims URL DATA_DIR [nodes] [jobs]
// dotnet run -c Release --project tests/Cast2md.Benchmarks -- routing [episodes] [rounds]
// dotnet run -c Release --project tests/Cast2md.Benchmarks -- search [episodes] [segments per episode] [DIR to keep the database in and reuse]
// dotnet run -c Release --project tests/Cast2md.Benchmarks -- import [feeds] [episodes per feed] [segments per transcript]
using System.Diagnostics;
using System.Text;
using Cast2md.Feeds;
using Cast2md.Queue;
using Cast2md.Storage;

return args switch
{
    ["feed-parse", ..] => FeedParse(args.Length > 1 ? int.Parse(args[1]) : 5000),
    ["feed-pages", ..] => await Cast2md.Benchmarks.FeedPagesBench.RunAsync(
        args.Length > 1 ? int.Parse(args[1]) : 50,
        args.Length > 2 ? int.Parse(args[2]) : 100
    ),
    ["queue", ..] => Queue(args.Length > 1 ? int.Parse(args[1]) : 1, args.Length > 2 ? int.Parse(args[2]) : 2000),
    ["dispatch", var url, var data, var mode, ..] => await Cast2md.Benchmarks.DistributedBench.DispatchAsync(
        new Uri(url),
        data,
        mode,
        args.Length > 4 ? int.Parse(args[4]) : 50
    ),
    ["claims", var url, var data, ..] => await Cast2md.Benchmarks.DistributedBench.ClaimCyclesAsync(
        new Uri(url),
        data,
        args.Length > 3 ? int.Parse(args[3]) : 50,
        args.Length > 4 ? int.Parse(args[4]) : 1000
    ),
    ["routing", ..] => Cast2md.Benchmarks.RoutingBench.Run(args.Length > 1 ? int.Parse(args[1]) : 60, args.Length > 2 ? int.Parse(args[2]) : 500),
    ["search", ..] => Cast2md.Benchmarks.SearchBench.Run(
        args.Length > 1 ? int.Parse(args[1]) : 10_000,
        args.Length > 2 ? int.Parse(args[2]) : 200,
        args.Length > 3 ? args[3] : null
    ),
    ["import", ..] => await Cast2md.Benchmarks.ImportBench.RunAsync(
        args.Length > 1 ? int.Parse(args[1]) : 20,
        args.Length > 2 ? int.Parse(args[2]) : 500,
        args.Length > 3 ? int.Parse(args[3]) : 400
    ),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine(
        "usage: feed-parse [items] | feed-pages [pages] [items] | queue [workers] [jobs] | dispatch URL DATA_DIR long|poll [samples] | claims URL DATA_DIR [nodes] [jobs] | routing [episodes] [rounds] | search [episodes] [segments] [DIR] | import [feeds] [episodes per feed] [segments]"
    );
    return 2;
}

// Median of 7 parses of an in-memory RSS feed with itunes and podcast:transcript tags, after 2 warm-ups.
static int FeedParse(int items)
{
    var xml = new StringBuilder(
        """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:podcast="https://podcastindex.org/namespace/1.0"><channel><title>Bench</title><link>https://example.test/</link>"""
    );
    for (var i = 0; i < items; i++)
        xml.Append(
            $"""<item><title>Episode {i}: a title of typical length</title><guid>guid-{i}</guid><pubDate>Mon, 02 Jan 2023 10:00:00 +0000</pubDate><description>Show notes for episode {i}. {new string('x', 400)}</description><enclosure url="https://cdn.example.test/{i}.mp3" type="audio/mpeg" length="12345678"/><itunes:duration>01:02:03</itunes:duration><podcast:transcript url="https://example.test/{i}.vtt" type="text/vtt"/></item>"""
        );
    xml.Append("</channel></rss>");
    var bytes = Encoding.UTF8.GetBytes(xml.ToString());
    var times = new List<double>();
    for (var run = 0; run < 9; run++)
    {
        var clock = Stopwatch.StartNew();
        var feed = FeedParser.Parse(new MemoryStream(bytes));
        clock.Stop();
        if (feed.Episodes.Count != items)
            throw new InvalidOperationException("wrong episode count");
        if (run >= 2)
            times.Add(clock.Elapsed.TotalMilliseconds);
    }
    times.Sort();
    Console.WriteLine($"feed-parse items={items} bytes={bytes.Length} median_ms={times[times.Count / 2]:0.0} min_ms={times[0]:0.0}");
    return 0;
}

// Claim+complete cycles per second on one SQLite file (WAL) with N concurrent workers (threads, each its own connections),
// each completion through JobOutcomes as the workers commit theirs.
static int Queue(int workers, int jobs)
{
    var dir = Path.Combine(Path.GetTempPath(), "cast2md-bench-" + Guid.NewGuid().ToString("N"));
    var database = Database.Open(Path.Combine(dir, "bench.db"));
    try
    {
        using (var connection = database.Connect())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "INSERT INTO feeds (url, title, created_ms, updated_ms) VALUES ('u', 't', 0, 0);";
            command.ExecuteNonQuery();
            command.CommandText = """
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $jobs)
                INSERT INTO episodes (feed_id, guid, title, created_ms, updated_ms) SELECT 1, 'g' || i, 'e' || i, 0, 0 FROM n;
                """;
            command.Parameters.AddWithValue("$jobs", jobs);
            command.ExecuteNonQuery();
        }
        var store = new JobStore(database);
        var outcomes = new Cast2md.Services.JobOutcomes(store, new Cast2md.Queue.QueueSignal());
        for (var id = 1; id <= jobs; id++)
            store.Enqueue(id, JobType.Download);

        var clock = Stopwatch.StartNew();
        var done = 0;
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
        {
            while (store.TryClaim(JobType.Download, $"w{w}", TimeSpan.FromMinutes(5)) is { } lease)
            {
                // As the workers commit: through the one owner of outcomes, the episode settled in the same transaction.
                outcomes.Complete(lease.Job.Id, lease.Token, $"w{w}", Cast2md.Services.JobResult.Nothing);
                Interlocked.Increment(ref done);
            }
        });
        clock.Stop();
        Console.WriteLine(
            $"queue workers={workers} jobs={done} seconds={clock.Elapsed.TotalSeconds:0.00} cycles_per_second={done / clock.Elapsed.TotalSeconds:0}"
        );
        return done == jobs ? 0 : 1;
    }
    finally
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dir, recursive: true);
    }
}
