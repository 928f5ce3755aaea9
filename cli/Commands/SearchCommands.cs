using Cast2md.Cli.Infrastructure;
using Cast2md.Cli.Output;
using Cast2md.Json;
using Cast2md.Search;
using Cast2md.Services;
using ConsoleAppFramework;

namespace Cast2md.Cli.Commands;

/// <summary>cast2md search "query" | search reindex: full-text search over the transcripts. Safe while `serve` runs.</summary>
[RegisterCommands]
internal sealed class SearchCommands
{
    /// <summary>
    /// Search transcripts and episode titles: words (all must match), "a phrase", -word to exclude, word* for a prefix.
    /// Prints the best hits first: episode, feed, the segment's time and a snippet with the matches in **.
    /// </summary>
    /// <param name="query">What to search for.</param>
    /// <param name="feed">Only this feed (its id).</param>
    /// <param name="since">Only episodes published on or after this date (YYYY-MM-DD).</param>
    /// <param name="limit">How many hits (1-100).</param>
    /// <param name="offset">Skip this many hits (the next page).</param>
    /// <param name="json">Print the result as one JSON document on stdout.</param>
    [Command("search")]
    public int Search([Argument] string query, long? feed = null, string? since = null, int limit = 20, int offset = 0, bool json = false)
    {
        SearchPage page;
        try
        {
            var request = new SearchRequest(query, feed, SearchService.ParseSince(since), limit, offset);
            page = GlobalOptions.OpenCore().Search.Search(request);
        }
        catch (InvalidRequestException ex)
        {
            // A query we cannot search is the user's to change: a usage error (exit 2), as a bad option is.
            throw new UsageException(ex.Message);
        }
        if (json)
        {
            JsonOutput.Write(page, Cast2mdJsonContext.Default.SearchPage);
            return ExitCodes.Ok;
        }
        if (page.Results.Count == 0)
        {
            Log.Info("no matches");
            return ExitCodes.Ok;
        }
        foreach (var hit in page.Results)
        {
            var where = hit.Start is null ? "title" : hit.Start;
            Console.WriteLine(
                $"episode {hit.EpisodeId} at {where}  {TerminalText.Short(hit.EpisodeTitle, 70)}  ({TerminalText.Short(hit.FeedTitle, 40)}, feed {hit.FeedId}, {TerminalText.Date(hit.PublishedAt)})"
            );
            Console.WriteLine("    " + TerminalText.Clean(hit.Snippet));
        }
        if (page.HasMore)
            Log.Info($"more hits: --offset {page.Offset + page.Limit}");
        return ExitCodes.Ok;
    }

    /// <summary>Rebuild the search index from the transcript files on disk (after an upgrade, or if it was lost).</summary>
    [Command("search reindex")]
    public int Reindex(CancellationToken cancellationToken = default)
    {
        var core = GlobalOptions.OpenCore();
        var (episodes, segments, missing) = SearchIndex.Reindex(core.Database, core.Layout, cancellationToken);
        Console.WriteLine($"Indexed {segments} segment{(segments == 1 ? "" : "s")} of {episodes} episode{(episodes == 1 ? "" : "s")}.");
        if (missing > 0)
            Log.Warn($"{missing} episode{(missing == 1 ? " has" : "s have")} a transcript path but no readable JSON sidecar; not indexed.");
        return ExitCodes.Ok;
    }
}
