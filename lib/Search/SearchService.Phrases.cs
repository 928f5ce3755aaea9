using Cast2md.Storage;
using Microsoft.Data.Sqlite;

namespace Cast2md.Search;

/// <summary>
/// A query that is one phrase (exclusions allowed), the commonest kind after single words. FTS5's own ranking costs a
/// phrase of common words two full passes over their position lists — bm25 first counts every matching row of the
/// whole index for the phrase's weight, then the query walks them all again to score and sort — about 50 ms each for
/// a phrase with "the" in it at two million segments; and even one pass over the word index reads the doclist of the
/// phrase's commonest word. So a phrase of two words or more is found in the word-pair index (search_segments_pairs:
/// each segment's neighbouring words as one token), whose doclists are as short as the phrase is rare. The matches are
/// walked once (twice, partly, for a phrase in more than <see cref="RankedPool"/> segments: its newest that many are
/// its pool, as for words); they are scored with bm25's formula and FTS5's constants (k1 = 1.2, b = 0.75) from their
/// text, and only the page's snippets go back to the word index.
/// </summary>
public sealed partial class SearchService
{
    private const double K1 = 1.2;
    private const double B = 0.75;

    private static List<(double Score, SearchHit Hit)> SearchOnePhrase(
        SqliteConnection connection,
        SearchQuery query,
        SearchTerm phrase,
        SearchRequest request,
        int wanted
    )
    {
        var match = query.ToMatchExpression();
        var pool = Math.Max(RankedPool, wanted);
        var phraseTokens = IndexWords.Of(phrase.Text);
        // A phrase of two words or more, with nothing excluded, is looked up in the word-pair index (its pairs, one
        // after the other); the rest (one word in quotes, exclusions to apply) in the word index.
        var source =
            phraseTokens.Length >= 2 && query.Terms.Count == 1
                ? new PhraseSource("search_segments_pairs", "\"" + IndexWords.Pairs(phraseTokens) + "\"")
                : new PhraseSource("search_segments_words", match);
        // FTS5 walks a doclist backwards at about half the speed it walks it forwards, and most phrases match fewer
        // rows than the pool: so the matches are first walked forwards, which finds them all in one fast pass, and
        // only a phrase with more matches than the pool is walked again from the newest end, stopping at the pool.
        var candidates = Walk(connection, source, phraseTokens, request, wanted, pool + 1, newestFirst: false);
        if (candidates.Count > pool)
            candidates = Walk(connection, source, phraseTokens, request, wanted, pool, newestFirst: true);
        else
            candidates.Reverse();
        if (candidates.Count == 0)
            return [];

        var (documents, averageLength) = IndexTotals(connection, candidates);
        // The phrase's weight needs its number of matching rows: exact when the pool held them all, otherwise estimated
        // from how much of the index (by row id) the pool covered. It only matters against the title index's scores.
        var newest = candidates[0].RowId;
        var oldest = candidates[^1].RowId;
        double matching =
            candidates.Count < pool ? candidates.Count : candidates.Count * (double)Math.Max(newest, 1) / Math.Max(newest - oldest + 1, 1);
        var weight = Math.Log((documents - matching + 0.5) / (matching + 0.5));
        if (weight <= 0)
            weight = 1e-6;

        var ranked = candidates
            .Select(c => (Score: -weight * c.Frequency * (K1 + 1) / (c.Frequency + K1 * (1 - B + B * c.Length / averageLength)), c.RowId, c.Hit))
            .OrderBy(c => c.Score)
            .ThenByDescending(c => c.RowId)
            .Take(wanted)
            .ToList();

        var hits = new List<(double, SearchHit)>(ranked.Count);
        using var snippet = connection
            .Command(
                $"SELECT snippet(search_segments_words, 0, '{Mark}', '{Mark}', '{Ellipsis}', 16) FROM search_segments_words "
                    + "WHERE search_segments_words MATCH $match AND rowid = $id;"
            )
            .With("$match", match);
        var id = snippet.Parameters.AddWithValue("$id", 0L);
        foreach (var (score, rowId, hit) in ranked)
        {
            id.Value = rowId;
            hits.Add((score, hit with { Snippet = snippet.ExecuteScalar() as string ?? "" }));
        }
        return hits;
    }

    /// <summary>The first <paramref name="limit"/> matches that pass the filters, by row id, with what ranking needs of each.</summary>
    private static List<(double Frequency, int Length, long RowId, SearchHit Hit)> Walk(
        SqliteConnection connection,
        PhraseSource source,
        string[] phraseTokens,
        SearchRequest request,
        int wanted,
        int limit,
        bool newestFirst
    )
    {
        var candidates = new List<(double Frequency, int Length, long RowId, SearchHit Hit)>();
        // The table name is one of the two constants of PhraseSource (FTS5's MATCH names its table as a column).
        using var command = Bind(
                connection.Command(
                    $"""
                    SELECT {Columns}, s.start_ms, s.end_ms, s.text, w.rowid
                    FROM {source.Table} w
                    JOIN search_segments s ON s.id = w.rowid
                    JOIN episodes e ON e.id = s.episode_id
                    JOIN feeds f ON f.id = e.feed_id
                    WHERE {source.Table} MATCH $match AND {Filters}
                    ORDER BY w.rowid {(newestFirst ? "DESC" : "ASC")} LIMIT $limit;
                    """
                ),
                request,
                wanted
            )
            .With("$match", source.Match)
            .With("$limit", limit);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var start = reader.GetInt64(5);
            var textTokens = IndexWords.Of(reader.GetString(7));
            var hit = new SearchHit(
                "segment",
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetInt64(2),
                reader.GetString(3),
                start,
                reader.GetInt64(6),
                Clock(start),
                "",
                reader.GetTimeOrNull(4)
            );
            candidates.Add((Math.Max(1, Occurrences(textTokens, phraseTokens)), textTokens.Length, reader.GetInt64(8), hit));
        }
        return candidates;
    }

    /// <summary>
    /// Rows and the average row length (in tokens) of the segment index, from FTS5's own totals record (row 1 of its data
    /// table: the row count and each column's token count, as SQLite varints); the candidates' own when it cannot be read.
    /// </summary>
    private static (double Documents, double AverageLength) IndexTotals(
        SqliteConnection connection,
        List<(double Frequency, int Length, long RowId, SearchHit Hit)> candidates
    )
    {
        using var command = connection.Command("SELECT block FROM search_segments_words_data WHERE id = 1;");
        if (command.ExecuteScalar() is byte[] block)
        {
            var offset = 0;
            if (
                TryReadVarint(block, ref offset, out var documents)
                && TryReadVarint(block, ref offset, out var tokens)
                && documents > 0
                && tokens > 0
            )
                return (documents, (double)tokens / documents);
        }
        return (Math.Max(candidates[0].RowId, candidates.Count), Math.Max(1, candidates.Average(c => (double)c.Length)));
    }

    /// <summary>A SQLite varint: big-endian groups of 7 bits, the high bit set on all but the last; a ninth byte gives all 8.</summary>
    private static bool TryReadVarint(byte[] data, ref int offset, out long value)
    {
        value = 0;
        for (var i = 0; i < 9; i++)
        {
            if (offset >= data.Length)
                return false;
            var b = data[offset++];
            if (i == 8)
            {
                value = (value << 8) | b;
                return true;
            }
            value = (value << 7) | (long)(b & 0x7F);
            if ((b & 0x80) == 0)
                return true;
        }
        return false;
    }

    /// <summary>Which FTS5 index a phrase's matches are walked in, and the MATCH expression there.</summary>
    private sealed record PhraseSource(string Table, string Match);

    /// <summary>How often <paramref name="phrase"/> occurs in <paramref name="text"/>, token by token.</summary>
    internal static int Occurrences(string[] text, string[] phrase)
    {
        if (phrase.Length == 0)
            return 0;
        var count = 0;
        for (var i = 0; i + phrase.Length <= text.Length; i++)
        {
            var all = true;
            for (var j = 0; j < phrase.Length && all; j++)
                all = string.Equals(text[i + j], phrase[j], StringComparison.Ordinal);
            if (all)
                count++;
        }
        return count;
    }
}
