using Cast2md.Feeds;
using Cast2md.Feeds.Fetching;
using Cast2md.Settings;

namespace Cast2md.Services;

public sealed partial class FeedService
{
    /// <summary>
    /// The feed with every page of a paged feed (rel="next": RFC 5005, Podlove, paged WordPress) merged in order, up to
    /// FEED_MAX_PAGES. Pages are followed only when the first page changed (a 304 returns null before any paging),
    /// each is fetched with the same limits, a page seen before ends the walk, and a page that fails ends it with a
    /// warning and keeps what was read. With <paramref name="known"/> (a refresh), the walk also ends after a page whose
    /// episodes are all stored already: new episodes appear at the front of an archive, not in its old pages.
    /// </summary>
    internal async Task<(FeedFetchResult Fetched, ParsedFeed? Parsed)> FetchAllPagesAsync(
        string url,
        string? etag,
        string? lastModified,
        CancellationToken cancellationToken,
        IReadOnlySet<string>? known = null
    )
    {
        var (fetched, first) = await FetchAndParseAsync(url, etag, lastModified, cancellationToken);
        if (first?.NextPageUrl is null || AllKnown(first, known))
            return (fetched, first);

        var maxPages = core.Settings.GetInt(SettingDefinitions.FeedMaxPages);
        var seen = new HashSet<string>(StringComparer.Ordinal) { FeedUrl.Key(url), FeedUrl.Key(fetched.FinalUrl.AbsoluteUri) };
        var episodes = new List<ParsedEpisode>(first.Episodes);
        var guids = new HashSet<string>(first.Episodes.Select(e => e.Guid), StringComparer.Ordinal);
        var warnings = new List<string>(first.Warnings);
        int pages = 1,
            withoutAudio = first.SkippedWithoutAudio,
            duplicates = first.SkippedDuplicates;
        for (var next = first.NextPageUrl; next is not null; )
        {
            if (!seen.Add(FeedUrl.Key(next)))
                break;
            if (pages >= maxPages)
            {
                warnings.Add($"The feed has more than {maxPages} pages; only the first {maxPages} were read (FEED_MAX_PAGES).");
                break;
            }

            ParsedFeed? page;
            try
            {
                (_, page) = await FetchAndParseAsync(next, etag: null, lastModified: null, cancellationToken);
            }
            catch (InvalidRequestException ex)
            {
                warnings.Add($"Page {pages + 1} of the feed could not be read, so the episodes from there on are missing: {ex.Message}");
                break;
            }

            pages++;
            if (page is null)
                break;
            foreach (var episode in page.Episodes)
            {
                if (guids.Add(episode.Guid))
                    episodes.Add(episode);
                else
                    duplicates++;
            }

            withoutAudio += page.SkippedWithoutAudio;
            duplicates += page.SkippedDuplicates;
            warnings.AddRange(page.Warnings.Select(w => $"Page {pages}: {w}"));
            next = AllKnown(page, known) ? null : page.NextPageUrl;
        }

        return (
            fetched,
            first with
            {
                Episodes = episodes,
                SkippedWithoutAudio = withoutAudio,
                SkippedDuplicates = duplicates,
                NextPageUrl = null,
                Warnings = warnings,
            }
        );
    }

    private static bool AllKnown(ParsedFeed page, IReadOnlySet<string>? known) => known is not null && page.Episodes.All(e => known.Contains(e.Guid));
}
