using System.Text.Json;
using Cast2md.Files;
using Cast2md.Json;
using Cast2md.Storage;
using Cast2md.Transcripts;
using Microsoft.Data.Sqlite;

namespace Cast2md.Search;

/// <summary>
/// The rows behind search: each segment in three FTS5 indexes (words, trigrams for CJK, and word pairs for phrases, whose
/// text the cast2md_word_pairs function of every connection computes). Titles and descriptions follow the episodes table by triggers (the search migration); a transcript's
/// segments are written here by whoever commits the transcript (<see cref="Services.JobOutcomes.Complete"/>), in the
/// same transaction, so the index never tells of a transcript the database does not have. Deletes cascade from the
/// episode (and so from the feed), and clearing an episode's transcript path removes its segments by trigger.
/// </summary>
public static class SearchIndex
{
    /// <summary>Replaces the episode's indexed segments with <paramref name="segments"/> (empty texts left out).</summary>
    public static void Replace(
        SqliteConnection connection,
        SqliteTransaction transaction,
        long episodeId,
        IEnumerable<TranscriptJsonSegment> segments
    )
    {
        using (var delete = connection.Command("DELETE FROM search_segments WHERE episode_id = $episode;", transaction).With("$episode", episodeId))
            delete.ExecuteNonQuery();
        using var insert = connection.Command(
            "INSERT INTO search_segments (episode_id, start_ms, end_ms, text) VALUES ($episode, $start, $end, $text);",
            transaction
        );
        var episode = insert.Parameters.AddWithValue("$episode", episodeId);
        var start = insert.Parameters.AddWithValue("$start", 0L);
        var end = insert.Parameters.AddWithValue("$end", 0L);
        var text = insert.Parameters.AddWithValue("$text", "");
        foreach (var segment in segments)
        {
            if (string.IsNullOrWhiteSpace(segment.Text))
                continue;
            start.Value = segment.StartMs;
            end.Value = segment.EndMs;
            text.Value = segment.Text.Trim();
            insert.ExecuteNonQuery();
        }
    }

    /// <summary>The segments of a JSON sidecar; null when the file is missing or unreadable (nothing is indexed then).</summary>
    public static IReadOnlyList<TranscriptJsonSegment>? ReadSidecar(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize(stream, Cast2mdJsonContext.Default.TranscriptJsonDocument)?.Segments;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Rebuilds every episode's segments from the transcript files on disk (an episode whose sidecar is missing loses
    /// its segments) and the title index; returns (episodes indexed, segments indexed, episodes without a readable sidecar).
    /// </summary>
    public static (int Episodes, long Segments, int Missing) Reindex(
        Database database,
        StorageLayout layout,
        CancellationToken cancellationToken = default
    )
    {
        var transcripts = new List<(long Id, string Path)>();
        using (var connection = database.Connect())
        using (var read = connection.Command("SELECT id, transcript_path FROM episodes WHERE transcript_path IS NOT NULL ORDER BY id;"))
        using (var reader = read.ExecuteReader())
            while (reader.Read())
                transcripts.Add((reader.GetInt64(0), reader.GetString(1)));

        int indexed = 0,
            missing = 0;
        long segments = 0;
        lock (database.Writer)
        {
            using var connection = database.Connect();
            using var transaction = connection.BeginTransaction(deferred: false);
            using (var clear = connection.Command("DELETE FROM search_segments;", transaction))
                clear.ExecuteNonQuery();
            foreach (var (id, path) in transcripts)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var found = ReadSidecar(layout.Resolve(StorageLayout.SiblingTranscriptPath(path, TranscriptFormat.Json)));
                if (found is null)
                {
                    missing++;
                    continue;
                }
                Replace(connection, transaction, id, found);
                indexed++;
                segments += found.Count(s => !string.IsNullOrWhiteSpace(s.Text));
            }
            foreach (var table in (string[])["search_segments_words", "search_segments_trigram", "search_episodes_words", "search_episodes_trigram"])
            {
                // The table name is one of our constants (FTS5 commands name their table as a column).
                using var rebuild = connection.Command($"INSERT INTO {table} ({table}) VALUES ('rebuild');", transaction);
                rebuild.ExecuteNonQuery();
            }
            // The word pairs (contentless, so not rebuilt) were refilled by the insert trigger above, in one transaction:
            // merged into one segment, or the next transcripts' writes would pay for it.
            using (var merge = connection.Command("INSERT INTO search_segments_pairs (search_segments_pairs) VALUES ('optimize');", transaction))
                merge.ExecuteNonQuery();
            transaction.Commit();
        }
        return (indexed, segments, missing);
    }
}
