using System.Globalization;
using System.Text;
using Cast2md.Services;
using Cast2md.Storage;
using Microsoft.Data.Sqlite;

namespace Cast2md.Search;

/// <summary>
/// Full-text search over transcript segments and episode titles/descriptions (see <see cref="SearchIndex"/>). The CLI,
/// the REST API and the MCP server all call <see cref="Search"/>; none of them writes a query of its own.
/// <para>
/// Latin-script queries go to the unicode61 indexes and are ranked by bm25 (each index asked for its best rows, then
/// merged by score; of a segment query matching more than <see cref="RankedPool"/> segments, the newest that many); a
/// query with CJK characters goes to the trigram indexes through LIKE, which finds words of any
/// length (trigram MATCH needs three characters), newest episode first, with a snippet cut here.
/// </para>
/// </summary>
public sealed partial class SearchService(Database database)
{
    public const int MaxLimit = 100;

    /// <summary>
    /// How many of a query's matching segments, newest first, bm25 ranks (at least a page's worth more than the offset):
    /// a query that matches more is answered from its newest matches, so a common word costs milliseconds, not seconds.
    /// </summary>
    public const int RankedPool = 2_000;

    private const string Mark = "**";
    private const string Ellipsis = "…";

    /// <exception cref="InvalidRequestException">The query cannot be searched (see <see cref="SearchQuery.Parse"/>) or the page is out of range.</exception>
    public SearchPage Search(SearchRequest request)
    {
        if (request.Limit is < 1 or > MaxLimit)
            throw new InvalidRequestException($"The limit must be between 1 and {MaxLimit}.");
        if (request.Offset is < 0 or > 10_000)
            throw new InvalidRequestException("The offset must be between 0 and 10000.");
        var query = SearchQuery.Parse(request.Query);
        var wanted = request.Offset + request.Limit + 1;
        using var connection = database.Connect();
        var hits = query.IsCjk ? SearchCjk(connection, query, request, wanted) : SearchWords(connection, query, request, wanted);
        var page = hits.Skip(request.Offset).Take(request.Limit).Select(h => h.Hit).ToList();
        return new SearchPage(request.Query, request.Limit, request.Offset, hits.Count > request.Offset + request.Limit, page);
    }

    private const string Columns = "e.id, e.title, f.id, COALESCE(NULLIF(TRIM(f.custom_title), ''), f.title), e.published_ms";

    private const string Filters = "($feed IS NULL OR e.feed_id = $feed) AND ($since IS NULL OR e.published_ms >= $since)";

    // The newest matches first, the pool-th one's id (no row: fewer matches, all are ranked). Without filters the walk
    // reads the index alone; with them each match's episode is looked up, so the pool is made of matches that pass.
    private const string CutoffUnfiltered = """
        SELECT rowid FROM search_segments_words
        WHERE $pool IS NOT NULL AND search_segments_words MATCH $match
        ORDER BY rowid DESC LIMIT 1 OFFSET COALESCE($pool, 0)
        """;

    private const string CutoffFiltered = $"""
        SELECT w.rowid FROM search_segments_words w
        JOIN search_segments s ON s.id = w.rowid
        JOIN episodes e ON e.id = s.episode_id
        WHERE $pool IS NOT NULL AND search_segments_words MATCH $match AND {Filters}
        ORDER BY w.rowid DESC LIMIT 1 OFFSET COALESCE($pool, 0)
        """;

    private static List<(double Score, SearchHit Hit)> SearchWords(SqliteConnection connection, SearchQuery query, SearchRequest request, int wanted)
    {
        var match = query.ToMatchExpression();
        var hits = new List<(double, SearchHit)>();
        // bm25 costs a few microseconds per matching row (each row's length is looked up), and FTS5 scores every match
        // before it sorts: a word in 100,000 segments took seconds. So only the newest RankedPool matches (by segment
        // id: the most recently indexed) are scored. The cutoff is found by walking the matches newest first, which
        // scores nothing and stops after RankedPool rows; the filters apply there too, so a feed's own newest matches
        // are the pool, however many newer ones other feeds have. A query that is one phrase is pooled the same way, in
        // one walk (SearchService.Phrases.cs).
        var included = query.Terms.Where(t => !t.IsExcluded).ToList();
        if (included is [{ IsPhrase: true, IsPrefix: false } phrase])
            hits.AddRange(SearchOnePhrase(connection, query, phrase, request, wanted));
        else
            SearchSegments(connection, query, request, wanted, match, hits);
        using (
            var episodes = Bind(
                    connection.Command(
                        $"""
                        SELECT {Columns}, NULL, NULL, snippet(search_episodes_words, -1, '{Mark}', '{Mark}', '{Ellipsis}', 16), w.rank
                        FROM search_episodes_words w
                        JOIN episodes e ON e.id = w.rowid
                        JOIN feeds f ON f.id = e.feed_id
                        WHERE search_episodes_words MATCH $match AND {Filters}
                        ORDER BY w.rank LIMIT $wanted;
                        """
                    ),
                    request,
                    wanted
                )
                .With("$match", match)
        )
            Read(episodes, hits, "episode", withTimes: false);
        // bm25 is lower for better matches; ties keep segments before episode rows, each in its index's order.
        return [.. hits.OrderBy(h => h.Item1)];
    }

    private static void SearchSegments(
        SqliteConnection connection,
        SearchQuery query,
        SearchRequest request,
        int wanted,
        string match,
        List<(double, SearchHit)> hits
    )
    {
        // A query with a phrase and other terms is ranked whole: such a query matches few segments (all its terms, the
        // phrase's words following each other), so scoring them is cheap, while the walk would add one more pass over
        // the doclists of the phrase's words. (A query that is one phrase goes to SearchOnePhrase.)
        var pooled = !query.Terms.Any(t => t.IsPhrase && !t.IsExcluded);
        using (
            var segments = Bind(
                    connection.Command(
                        $"""
                        WITH cutoff(id) AS ({(request.FeedId is null && request.Since is null ? CutoffUnfiltered : CutoffFiltered)})
                        SELECT {Columns}, s.start_ms, s.end_ms, snippet(search_segments_words, 0, '{Mark}', '{Mark}', '{Ellipsis}', 16), w.rank
                        FROM search_segments_words w
                        JOIN search_segments s ON s.id = w.rowid
                        JOIN episodes e ON e.id = s.episode_id
                        JOIN feeds f ON f.id = e.feed_id
                        WHERE search_segments_words MATCH $match AND w.rowid >= COALESCE((SELECT id FROM cutoff), 0) AND {Filters}
                        ORDER BY w.rank LIMIT $wanted;
                        """
                    ),
                    request,
                    wanted
                )
                .With("$match", match)
                .With("$pool", pooled ? Math.Max(RankedPool, wanted) : null)
        )
            Read(segments, hits, "segment", withTimes: true);
    }

    private static List<(double Score, SearchHit Hit)> SearchCjk(SqliteConnection connection, SearchQuery query, SearchRequest request, int wanted)
    {
        var segmentWhere = new StringBuilder();
        var episodeWhere = new StringBuilder();
        var parameters = new List<(string, string)>();
        foreach (var (term, index) in query.Terms.Select((t, i) => (t, i)))
        {
            var name = "$t" + index.ToString(CultureInfo.InvariantCulture);
            parameters.Add((name, "%" + EscapeLike(term.Text) + "%"));
            var not = term.IsExcluded ? "NOT " : "";
            segmentWhere.Append(CultureInfo.InvariantCulture, $" AND s.text {not}LIKE {name} ESCAPE '\\'");
            episodeWhere.Append(
                term.IsExcluded
                    ? $" AND NOT (e.title LIKE {name} ESCAPE '\\' OR COALESCE(e.description, '') LIKE {name} ESCAPE '\\')"
                    : $" AND (e.title LIKE {name} ESCAPE '\\' OR COALESCE(e.description, '') LIKE {name} ESCAPE '\\')"
            );
        }
        var included = query.Terms.Where(t => !t.IsExcluded).Select(t => t.Text).ToList();
        var hits = new List<(double, SearchHit)>();
        using (
            var segments = Bind(
                connection.Command(
                    $"""
                    SELECT {Columns}, s.start_ms, s.end_ms, s.text, 0
                    FROM search_segments_trigram t
                    JOIN search_segments s ON s.id = t.rowid
                    JOIN episodes e ON e.id = s.episode_id
                    JOIN feeds f ON f.id = e.feed_id
                    WHERE t.text LIKE $t{query.Terms.Select((x, i) => (x, i)).First(p => !p.x.IsExcluded).i} ESCAPE '\' {segmentWhere} AND {Filters}
                    ORDER BY e.published_ms DESC, s.episode_id DESC, s.start_ms LIMIT $wanted;
                    """
                ),
                request,
                wanted
            )
        )
        {
            foreach (var (name, value) in parameters)
                segments.With(name, value);
            Read(segments, hits, "segment", withTimes: true, text => CutSnippet(text, included));
        }
        using (
            var episodes = Bind(
                connection.Command(
                    $"""
                    SELECT {Columns}, NULL, NULL, e.title || ' ' || COALESCE(e.description, ''), 1
                    FROM episodes e JOIN feeds f ON f.id = e.feed_id
                    WHERE 1 {episodeWhere} AND {Filters}
                    ORDER BY e.published_ms DESC, e.id DESC LIMIT $wanted;
                    """
                ),
                request,
                wanted
            )
        )
        {
            foreach (var (name, value) in parameters)
                episodes.With(name, value);
            Read(episodes, hits, "episode", withTimes: false, text => CutSnippet(text, included));
        }
        return [.. hits.OrderBy(h => h.Item1)];
    }

    private static SqliteCommand Bind(SqliteCommand command, SearchRequest request, int wanted) =>
        command.With("$feed", request.FeedId).With("$since", request.Since?.ToUnixTimeMilliseconds()).With("$wanted", wanted);

    private static void Read(SqliteCommand command, List<(double, SearchHit)> hits, string kind, bool withTimes, Func<string, string>? snippet = null)
    {
        using (command)
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                long? start = withTimes ? reader.GetInt64(5) : null;
                long? end = withTimes ? reader.GetInt64(6) : null;
                var text = reader.IsDBNull(7) ? "" : reader.GetString(7);
                hits.Add(
                    (
                        reader.GetDouble(8),
                        new SearchHit(
                            kind,
                            reader.GetInt64(0),
                            reader.GetString(1),
                            reader.GetInt64(2),
                            reader.GetString(3),
                            start,
                            end,
                            start is long ms ? Clock(ms) : null,
                            snippet is null ? text : snippet(text),
                            reader.GetTimeOrNull(4)
                        )
                    )
                );
            }
        }
    }

    /// <summary>
    /// A <c>since</c> filter as a user types it: a date (<c>2024-05-01</c>, midnight UTC) or a full ISO 8601 time; null
    /// or blank is no filter.
    /// </summary>
    /// <exception cref="InvalidRequestException">Anything else.</exception>
    public static DateTimeOffset? ParseSince(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var trimmed = text.Trim();
        if (DateOnly.TryParseExact(trimmed, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        if (DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            return time;
        throw new InvalidRequestException(
            $"The date '{(trimmed.Length > 40 ? trimmed[..40] + "…" : trimmed)}' is not one we read; give it as YYYY-MM-DD."
        );
    }

    /// <summary>hh:mm:ss of a position in milliseconds (hours not capped at 24).</summary>
    public static string Clock(long milliseconds)
    {
        var seconds = milliseconds / 1000;
        return string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600:00}:{seconds / 60 % 60:00}:{seconds % 60:00}");
    }

    /// <summary>About 40 characters either side of the first included term, every included term marked.</summary>
    internal static string CutSnippet(string text, IReadOnlyList<string> terms)
    {
        var first = terms.Select(t => text.IndexOf(t, StringComparison.OrdinalIgnoreCase)).Where(i => i >= 0).DefaultIfEmpty(0).Min();
        var from = Math.Max(0, first - 40);
        var to = Math.Min(text.Length, first + 80);
        var cut = text[from..to];
        foreach (var term in terms.OrderByDescending(t => t.Length))
            cut = cut.Replace(term, Mark + term + Mark, StringComparison.OrdinalIgnoreCase);
        return (from > 0 ? Ellipsis : "") + cut + (to < text.Length ? Ellipsis : "");
    }

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal);
}
