using Cast2md.Api;
using Cast2md.Cli.Infrastructure;
using Cast2md.Cli.Output;
using Cast2md.Feeds.Opml;
using Cast2md.Json;
using Cast2md.Library;
using Cast2md.Services;
using ConsoleAppFramework;

namespace Cast2md.Cli.Commands;

/// <summary>cast2md feed add|list|show|refresh|rename|rm: the subscribed podcasts. Safe while `serve` runs on the same data folder.</summary>
[RegisterCommands("feed")]
internal sealed class FeedCommands
{
    /// <summary>Subscribe to a podcast feed: fetch and validate it, store its episodes; prints the feed's id and counts.</summary>
    /// <param name="url">The feed's URL.</param>
    /// <param name="json">Print the result as one JSON document on stdout.</param>
    [Command("add")]
    public async Task<int> AddAsync([Argument] string url, bool json = false, CancellationToken cancellationToken = default)
    {
        var core = GlobalOptions.OpenCore();
        var added = await core.FeedService.AddAsync(url.Trim(), cancellationToken);
        var feed = core.Feeds.List().FirstOrDefault(f => f.Id == added.Feed.Id) ?? added.Feed;
        foreach (var warning in added.Warnings)
            Log.Warn(TerminalText.Clean(warning));
        if (json)
        {
            JsonOutput.Write(
                new CliFeedAdded(CliDto.Feed(feed), added.NewEpisodes, added.QueuedEpisodes, added.Warnings),
                Cast2mdJsonContext.Default.CliFeedAdded
            );
            return ExitCodes.Ok;
        }
        Console.WriteLine($"Added feed {feed.Id}: {TerminalText.Clean(feed.DisplayTitle)}");
        Console.WriteLine($"{added.NewEpisodes} episode{(added.NewEpisodes == 1 ? "" : "s")}, {added.QueuedEpisodes} queued");
        return ExitCodes.Ok;
    }

    /// <summary>List the subscribed feeds with their episode counts.</summary>
    /// <param name="json">Print the result as one JSON document on stdout.</param>
    [Command("list")]
    public int List(bool json = false)
    {
        var feeds = GlobalOptions.OpenCore().Feeds.List();
        if (json)
        {
            JsonOutput.Write(new CliFeedList(feeds.Select(CliDto.Feed).ToList(), feeds.Count), Cast2mdJsonContext.Default.CliFeedList);
            return ExitCodes.Ok;
        }
        if (feeds.Count == 0)
        {
            Log.Info("no feeds yet; add one with: cast2md feed add URL");
            return ExitCodes.Ok;
        }
        var table = new Table("ID", "EPISODES", "DONE", "LAST POLLED", "TITLE").AlignRight("ID", "EPISODES", "DONE");
        foreach (var f in feeds)
            table.Add(
                f.Id.ToString(),
                f.EpisodeCount.ToString(),
                f.StatusCounts.GetValueOrDefault("completed").ToString(),
                TerminalText.Time(f.LastPolledAt),
                TerminalText.Short(f.DisplayTitle, 80) + (f.LastError is null ? "" : "  (last poll failed)")
            );
        table.Write();
        return ExitCodes.Ok;
    }

    /// <summary>Show a feed and its most recent episodes.</summary>
    /// <param name="feedId">The feed.</param>
    /// <param name="limit">-n, How many episodes to show.</param>
    /// <param name="json">Print the result as one JSON document on stdout.</param>
    [Command("show")]
    public int Show([Argument] long feedId, int limit = 10, bool json = false)
    {
        if (limit < 1)
            throw new UsageException("--limit must be at least 1.");
        var core = GlobalOptions.OpenCore();
        var feed = FeedWithCounts(core, feedId);
        var (episodes, total) = core.Episodes.ListByFeed(feedId, limit);
        if (json)
        {
            JsonOutput.Write(
                new CliFeedDetail(CliDto.Feed(feed), episodes.Select(CliDto.Episode).ToList(), total),
                Cast2mdJsonContext.Default.CliFeedDetail
            );
            return ExitCodes.Ok;
        }
        Console.WriteLine($"Feed {feed.Id}: {TerminalText.Clean(feed.DisplayTitle)}");
        if (feed.CustomTitle is not null)
            Console.WriteLine($"Publisher's title: {TerminalText.Clean(feed.Title)}");
        Console.WriteLine($"URL:         {TerminalText.Clean(feed.Url)}");
        if (feed.Author is not null)
            Console.WriteLine($"Author:      {TerminalText.Clean(feed.Author)}");
        Console.WriteLine(
            $"Last polled: {TerminalText.Time(feed.LastPolledAt)}" + (feed.LastError is { } error ? $" (failed: {TerminalText.Clean(error)})" : "")
        );
        Console.WriteLine(
            $"Episodes:    {total}"
                + (
                    feed.StatusCounts.Count == 0
                        ? ""
                        : " ("
                            + string.Join(", ", feed.StatusCounts.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {kv.Value}"))
                            + ")"
                )
        );
        if (episodes.Count > 0)
        {
            Console.WriteLine();
            EpisodeCommands.EpisodeTable(episodes).Write();
            if (total > episodes.Count)
                Console.WriteLine($"... {total - episodes.Count} more: cast2md episode list {feed.Id} --limit {total}");
        }
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Poll a feed (or --all) for new episodes; new ones are queued as the server would. `--all` is meant for cron:
    /// it holds a lock (a second run exits 75) and exits 1 if any feed failed.
    /// </summary>
    /// <param name="feedId">The feed to poll.</param>
    /// <param name="all">Poll every feed.</param>
    /// <param name="json">Print the result as one JSON document on stdout.</param>
    [Command("refresh")]
    public async Task<int> RefreshAsync(
        [Argument] long? feedId = null,
        bool all = false,
        bool json = false,
        CancellationToken cancellationToken = default
    )
    {
        if (all == feedId.HasValue)
            throw new UsageException("Give a feed id or --all.");
        using var cronLock = all ? CronLock.AcquireOrReport(GlobalOptions.DataDirectory, "feed-refresh", "cast2md feed refresh --all") : null;
        if (all && cronLock is null)
            return CronLock.BusyExitCode;

        var core = GlobalOptions.OpenCore();
        IReadOnlyList<FeedRefreshResult> results;
        if (feedId is { } id)
        {
            RequireFeed(core, id);
            results = [await core.FeedService.RefreshAsync(id, autoQueue: true, cancellationToken)];
        }
        else
        {
            results = await core.FeedService.RefreshAllAsync(cancellationToken);
        }

        var titles = core.Feeds.List().ToDictionary(f => f.Id, f => f.DisplayTitle);
        var rows = results
            .Select(r => new CliFeedRefresh(
                r.FeedId,
                titles.GetValueOrDefault(r.FeedId),
                r.NotModified,
                r.NewEpisodes,
                r.QueuedEpisodes,
                r.Error,
                r.Warnings
            ))
            .ToList();
        var failed = rows.Count(r => r.Error is not null);
        foreach (var row in rows)
        foreach (var warning in row.Warnings)
            Log.Warn($"feed {row.FeedId} \"{TerminalText.Short(row.Title, 60)}\": {TerminalText.Clean(warning)}");
        foreach (var row in rows.Where(r => r.Error is not null))
            Log.Error($"feed {row.FeedId} \"{TerminalText.Short(row.Title, 60)}\": {TerminalText.Clean(row.Error)}");
        if (json)
        {
            JsonOutput.Write(new CliFeedRefreshList(rows, failed), Cast2mdJsonContext.Default.CliFeedRefreshList);
        }
        else if (rows.Count == 0)
        {
            Log.Info("no feeds to refresh");
        }
        else
        {
            var table = new Table("ID", "NEW", "QUEUED", "RESULT", "TITLE").AlignRight("ID", "NEW", "QUEUED");
            foreach (var r in rows)
                table.Add(
                    r.FeedId.ToString(),
                    r.NewEpisodes.ToString(),
                    r.QueuedEpisodes.ToString(),
                    r.Error is not null ? "failed"
                        : r.NotModified ? "unchanged"
                        : "ok",
                    TerminalText.Short(r.Title, 80)
                );
            table.Write();
        }
        return failed == 0 ? ExitCodes.Ok : ExitCodes.Error;
    }

    /// <summary>
    /// Subscribe to every feed of an OPML file, as podcast apps (AntennaPod, Pocket Casts, Apple Podcasts, gPodder)
    /// export them. Prints one line per feed: added, already there, or failed with why; a failing feed does not stop
    /// the others. Exits 1 when any feed failed.
    /// </summary>
    /// <param name="file">The OPML file ("-" reads stdin).</param>
    /// <param name="json">Print the result as one JSON document on stdout.</param>
    [Command("import")]
    public async Task<int> ImportAsync([Argument] string file, bool json = false, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<OpmlOutline> outlines;
        try
        {
            await using var input = file == "-" ? Console.OpenStandardInput() : File.OpenRead(file);
            outlines = OpmlDocument.Read(input, cancellationToken);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            throw new UsageException($"Cannot read {file}: {(ex is UnauthorizedAccessException ? "permission denied" : "no such file")}.");
        }

        if (outlines.Count == 0)
            Log.Warn($"{file} lists no feeds (no <outline xmlUrl=...>).");
        var core = GlobalOptions.OpenCore();
        // Synchronous reports: each line is printed before the next feed is fetched.
        var lines = json
            ? null
            : new SynchronousProgress<OpmlImportItem>(item =>
                Log.Info(
                    $"{item.Status.ToString().ToLowerInvariant()}: {TerminalText.Short(item.Title ?? item.Url, 60)}"
                        + (item.Message is null ? "" : $" — {TerminalText.Clean(item.Message)}")
                )
            );
        var items = await core.FeedService.ImportOpmlAsync(outlines, lines, cancellationToken);

        var report = OpmlImportReport.From(items);
        if (json)
            JsonOutput.Write(report, Cast2mdJsonContext.Default.OpmlImportResponse);
        else
            Console.WriteLine($"{report.Added} added, {report.Existing} already subscribed, {report.Failed} failed");
        return report.Failed == 0 ? ExitCodes.Ok : ExitCodes.Error;
    }

    /// <summary>Write every subscription as an OPML 2.0 file, which any podcast app imports.</summary>
    /// <param name="opml">OPML 2.0 (the only format, and the default).</param>
    /// <param name="output">-o, Write to this file instead of stdout.</param>
    [Command("export")]
    public async Task<int> ExportAsync(bool opml = true, string? output = null, CancellationToken cancellationToken = default)
    {
        _ = opml;
        var document = GlobalOptions.OpenCore().FeedService.ExportOpml(DateTimeOffset.UtcNow);
        if (output is null)
            Console.Out.Write(document);
        else
            await Files.AtomicFile.WriteAllTextAsync(output, document, cancellationToken);
        return ExitCodes.Ok;
    }

    /// <summary>Give a feed your own title (used for its folders from now on), or --clear it.</summary>
    /// <param name="feedId">The feed.</param>
    /// <param name="title">The new title.</param>
    /// <param name="clear">Go back to the publisher's title.</param>
    /// <param name="json">Print the feed as one JSON document on stdout.</param>
    [Command("rename")]
    public int Rename([Argument] long feedId, [Argument] string? title = null, bool clear = false, bool json = false)
    {
        if (clear == !string.IsNullOrWhiteSpace(title))
            throw new UsageException("Give a new title or --clear.");
        var core = GlobalOptions.OpenCore();
        core.FeedService.Rename(feedId, clear ? null : title);
        var feed = FeedWithCounts(core, feedId);
        if (json)
            JsonOutput.Write(CliDto.Feed(feed), Cast2mdJsonContext.Default.CliFeed);
        else
            Console.WriteLine($"Feed {feed.Id} is now \"{TerminalText.Clean(feed.DisplayTitle)}\".");
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Unsubscribe: delete a feed, its episodes and jobs; its audio and transcripts move to the trash folder.
    /// Asks for confirmation on a terminal; elsewhere (scripts, cron) --yes is required and nothing is read from stdin.
    /// </summary>
    /// <param name="feedId">The feed.</param>
    /// <param name="yes">-y, Do not ask.</param>
    /// <param name="json">Print the result as one JSON document on stdout.</param>
    [Command("rm")]
    public int Remove([Argument] long feedId, bool yes = false, bool json = false)
    {
        var core = GlobalOptions.OpenCore();
        var feed = RequireFeed(core, feedId);
        if (!yes)
        {
            if (Console.IsInputRedirected)
                throw new UsageException($"Deleting feed {feedId} needs --yes when stdin is not a terminal.");
            var count = core.Episodes.ListByFeed(feedId, limit: 1).Total;
            Log.WriteRaw(
                $"Delete feed {feedId} \"{TerminalText.Short(feed.DisplayTitle, 60)}\" with its {count} episode{(count == 1 ? "" : "s")}? Files go to the trash. [y/N] "
            );
            var answer = Console.ReadLine()?.Trim().ToLowerInvariant();
            if (answer is not ("y" or "yes"))
            {
                Log.Info("not deleted");
                return ExitCodes.Error;
            }
        }
        var trash = core.FeedService.Delete(feedId);
        if (json)
            JsonOutput.Write(new CliFeedDeleted(feedId, feed.DisplayTitle, trash), Cast2mdJsonContext.Default.CliFeedDeleted);
        else
            Console.WriteLine(
                $"Deleted feed {feedId} \"{TerminalText.Clean(feed.DisplayTitle)}\"." + (trash is null ? "" : $" Its files are in {trash}.")
            );
        return ExitCodes.Ok;
    }

    /// <summary>The feed with its episode and status counts (only the list query computes them).</summary>
    internal static Feed FeedWithCounts(Cast2mdCore core, long feedId) =>
        core.Feeds.List().FirstOrDefault(f => f.Id == feedId) ?? throw new NotFoundException($"Feed {feedId} not found.");

    internal static Feed RequireFeed(Cast2mdCore core, long feedId) =>
        core.Feeds.Get(feedId) ?? throw new NotFoundException($"Feed {feedId} not found.");
}

/// <summary>An <see cref="IProgress{T}"/> that reports on the caller's thread, in order (Progress&lt;T&gt; posts to the pool).</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
