using Cast2md.Storage;
using Microsoft.Data.Sqlite;

namespace Cast2md.Library;

/// <summary>
/// Episodes in the database. Partials: <c>.Discovery</c> (storing what a poll found), <c>.Updates</c>
/// (state changes along the workflow).
/// </summary>
public sealed partial class EpisodeStore(Database database, TimeProvider? timeProvider = null)
{
    private const string Columns =
        "e.id, e.feed_id, e.guid, e.title, e.status, e.description, e.link, e.author, e.audio_url, e.audio_type, e.audio_length, "
        + "e.duration_seconds, e.published_ms, e.audio_path, e.transcript_path, e.transcript_url, e.transcript_type, "
        + "e.transcript_language, e.chapters_url, e.transcript_source, e.transcript_model, e.error_message, e.permanent_failure, "
        + "e.created_ms, e.updated_ms";

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public Episode? Get(long id) => Query("WHERE e.id = $id", c => c.With("$id", id)).FirstOrDefault();

    /// <summary>A feed's episodes, newest first, and how many it has in all.</summary>
    public (IReadOnlyList<Episode> Episodes, int Total) ListByFeed(long feedId, int limit = 50, int offset = 0)
    {
        var episodes = Query("WHERE e.feed_id = $feed ORDER BY e.published_ms DESC, e.id DESC LIMIT $limit OFFSET $offset", c =>
            c.With("$feed", feedId).With("$limit", Math.Clamp(limit, 1, 10_000)).With("$offset", Math.Max(0, offset))
        );
        using var connection = database.Connect();
        using var count = connection.Command("SELECT COUNT(*) FROM episodes WHERE feed_id = $feed;").With("$feed", feedId);
        return (episodes, Convert.ToInt32(count.ExecuteScalar()));
    }

    /// <summary>Episodes in one state; <paramref name="since"/> is a strict updated-after watermark.</summary>
    public IReadOnlyList<Episode> ListByStatus(
        EpisodeStatus status,
        long? feedId = null,
        DateTimeOffset? since = null,
        bool newestFirst = false,
        int limit = 100
    ) =>
        Query(
            $"WHERE e.status = $status AND ($feed IS NULL OR e.feed_id = $feed) AND ($since IS NULL OR e.updated_ms > $since) "
                + $"ORDER BY e.updated_ms {(newestFirst ? "DESC" : "ASC")}, e.id LIMIT $limit",
            c =>
                c.With("$status", status.ToName()).With("$feed", feedId).With("$since", since.ToUnixMs()).With("$limit", Math.Clamp(limit, 1, 10_000))
        );

    public IReadOnlyList<Episode> Recent(TimeSpan within, int limit = 50) =>
        Query("WHERE e.published_ms >= $from ORDER BY e.published_ms DESC LIMIT $limit", c =>
            c.With("$from", (_time.GetUtcNow() - within).ToUnixTimeMilliseconds()).With("$limit", Math.Clamp(limit, 1, 10_000))
        );

    /// <summary>How many episodes are in each state, across all feeds.</summary>
    public IReadOnlyDictionary<EpisodeStatus, int> StatusCounts()
    {
        var counts = Enum.GetValues<EpisodeStatus>().ToDictionary(s => s, _ => 0);
        using var connection = database.Connect();
        using var command = connection.Command("SELECT status, COUNT(*) FROM episodes GROUP BY status;");
        using var reader = command.ExecuteReader();
        while (reader.Read())
            if (EpisodeStatuses.TryParse(reader.GetString(0), out var status))
                counts[status] = reader.GetInt32(1);
        return counts;
    }

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private List<Episode> Query(string tail, Action<SqliteCommand> bind)
    {
        using var connection = database.Connect();
        using var command = connection.Command($"SELECT {Columns} FROM episodes e {tail};");
        bind(command);
        var episodes = new List<Episode>();
        using var r = command.ExecuteReader();
        while (r.Read())
            episodes.Add(
                new Episode(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), EpisodeStatuses.Parse(r.GetString(4)))
                {
                    Description = r.GetStringOrNull(5),
                    Link = r.GetStringOrNull(6),
                    Author = r.GetStringOrNull(7),
                    AudioUrl = r.GetStringOrNull(8),
                    AudioType = r.GetStringOrNull(9),
                    AudioLength = r.GetInt64OrNull(10),
                    DurationSeconds = r.GetDoubleOrNull(11),
                    PublishedAt = r.GetTimeOrNull(12),
                    AudioPath = r.GetStringOrNull(13),
                    TranscriptPath = r.GetStringOrNull(14),
                    TranscriptUrl = r.GetStringOrNull(15),
                    TranscriptType = r.GetStringOrNull(16),
                    TranscriptLanguage = r.GetStringOrNull(17),
                    ChaptersUrl = r.GetStringOrNull(18),
                    TranscriptSource = r.GetStringOrNull(19),
                    TranscriptModel = r.GetStringOrNull(20),
                    ErrorMessage = r.GetStringOrNull(21),
                    PermanentFailure = r.GetInt64(22) != 0,
                    CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(23)),
                    UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(24)),
                }
            );
        return episodes;
    }
}
