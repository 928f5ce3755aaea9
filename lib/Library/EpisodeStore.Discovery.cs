using Cast2md.Storage;

namespace Cast2md.Library;

public sealed partial class EpisodeStore
{
    /// <summary>The GUIDs of every episode of the feed stored so far.</summary>
    public IReadOnlySet<string> Guids(long feedId)
    {
        using var connection = database.Connect();
        using var select = connection.Command("SELECT guid FROM episodes WHERE feed_id = $feed;");
        select.With("$feed", feedId);
        using var reader = select.ExecuteReader();
        var guids = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read())
            guids.Add(reader.GetString(0));
        return guids;
    }

    /// <summary>
    /// Stores a poll's episodes: new GUIDs are inserted (status new), known ones get their metadata refreshed —
    /// the enclosure URL above all, since publishers sign and rotate it. Returns the ids of the new episodes.
    /// </summary>
    public IReadOnlyList<long> Upsert(long feedId, IEnumerable<EpisodeMetadata> episodes)
    {
        var now = NowMs();
        var created = new List<long>();
        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction(deferred: false);
        using var insert = connection.Command(
            """
            INSERT INTO episodes (feed_id, guid, title, description, link, author, audio_url, audio_type, audio_length,
                                  duration_seconds, published_ms, transcript_url, transcript_type, transcript_language,
                                  chapters_url, created_ms, updated_ms)
            VALUES ($feed, $guid, $title, $description, $link, $author, $audioUrl, $audioType, $audioLength,
                    $duration, $published, $transcriptUrl, $transcriptType, $transcriptLanguage, $chapters, $now, $now)
            ON CONFLICT (feed_id, guid) DO NOTHING
            RETURNING id;
            """,
            transaction
        );
        using var refresh = connection.Command(
            """
            UPDATE episodes SET
                title = $title, description = $description, link = $link, author = $author,
                audio_url = COALESCE($audioUrl, audio_url), audio_type = COALESCE($audioType, audio_type),
                audio_length = COALESCE($audioLength, audio_length), duration_seconds = COALESCE($duration, duration_seconds),
                published_ms = COALESCE($published, published_ms), transcript_url = COALESCE($transcriptUrl, transcript_url),
                transcript_type = COALESCE($transcriptType, transcript_type),
                transcript_language = COALESCE($transcriptLanguage, transcript_language), chapters_url = COALESCE($chapters, chapters_url)
            WHERE feed_id = $feed AND guid = $guid;
            """,
            transaction
        );
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in episodes)
        {
            // The first item with a GUID wins, as in the feed's own order.
            if (!seen.Add(e.Guid))
                continue;
            foreach (var command in new[] { insert, refresh })
            {
                command.Parameters.Clear();
                command
                    .With("$feed", feedId)
                    .With("$guid", e.Guid)
                    .With("$title", e.Title)
                    .With("$description", e.Description)
                    .With("$link", e.Link)
                    .With("$author", e.Author)
                    .With("$audioUrl", e.AudioUrl)
                    .With("$audioType", e.AudioType)
                    .With("$audioLength", e.AudioLength)
                    .With("$duration", e.DurationSeconds)
                    .With("$published", e.PublishedAt.ToUnixMs())
                    .With("$transcriptUrl", e.TranscriptUrl)
                    .With("$transcriptType", e.TranscriptType)
                    .With("$transcriptLanguage", e.TranscriptLanguage)
                    .With("$chapters", e.ChaptersUrl)
                    .With("$now", now);
            }
            if (insert.ExecuteScalar() is long id)
                created.Add(id);
            else
                refresh.ExecuteNonQuery();
        }
        transaction.Commit();
        return created;
    }
}
