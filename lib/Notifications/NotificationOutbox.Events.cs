using Cast2md.Storage;
using Microsoft.Data.Sqlite;

namespace Cast2md.Notifications;

public sealed partial class NotificationOutbox
{
    /// <summary>A transcript was stored for an episode — by this server's worker, a node, or from the publisher.</summary>
    internal void TranscriptCompleted(SqliteConnection connection, SqliteTransaction transaction, long episodeId, string workerId)
    {
        if (NotificationTargets.Configured(settings).Count == 0)
            return;
        var about = Episode(connection, transaction, episodeId);
        var where = workerId.StartsWith("node:", StringComparison.Ordinal)
            ? $" (on node {NodeName(connection, transaction, workerId[5..]) ?? workerId[5..]})"
            : "";
        Add(
            connection,
            transaction,
            about with
            {
                Event = NotificationEvents.TranscriptCompleted,
                Title = "Transcript ready",
                Message = $"{about.EpisodeTitle} — {about.FeedTitle}{where}",
                Worker = workerId,
            }
        );
    }

    /// <summary>A job failed for good (no retry left, or permanent): the downloads' and transcriptions' are worth telling.</summary>
    internal void JobFailed(
        SqliteConnection connection,
        SqliteTransaction transaction,
        long episodeId,
        string jobType,
        string error,
        string? workerId
    )
    {
        var (eventName, title) = jobType switch
        {
            "transcribe" => (NotificationEvents.TranscriptionFailed, "Transcription failed"),
            "download" => (NotificationEvents.DownloadFailed, "Download failed"),
            _ => (null, null),
        };
        if (eventName is null || NotificationTargets.Configured(settings).Count == 0)
            return;
        var about = Episode(connection, transaction, episodeId);
        Add(
            connection,
            transaction,
            about with
            {
                Event = eventName,
                Title = title!,
                Message = $"{about.EpisodeTitle} — {about.FeedTitle}: {Shorten(error, 500)}",
                Worker = workerId,
            }
        );
    }

    /// <summary>
    /// Records a notification for every node that has fallen silent for longer than <paramref name="heartbeatTimeout"/>
    /// (and was heard from within the last day, so a long-dead node does not speak up after an upgrade). The node and its
    /// last heartbeat make the key: a node noticed again at the next round adds nothing, one that came back and went
    /// away again is told again. Returns the rows added.
    /// </summary>
    public int NodesOffline(TimeSpan heartbeatTimeout)
    {
        if (NotificationTargets.Configured(settings).Count == 0)
            return 0;
        var now = NowMs();
        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction(deferred: false);
        var silent = new List<(string Id, string Name, long Seen)>();
        using (
            var read = connection
                .Command(
                    "SELECT id, name, last_heartbeat_ms FROM nodes WHERE last_heartbeat_ms < $offline AND last_heartbeat_ms >= $recent;",
                    transaction
                )
                .With("$offline", now - (long)heartbeatTimeout.TotalMilliseconds)
                .With("$recent", now - (long)TimeSpan.FromDays(1).TotalMilliseconds)
        )
        using (var reader = read.ExecuteReader())
            while (reader.Read())
                silent.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        var added = 0;
        foreach (var (id, name, seen) in silent)
            added += Add(
                connection,
                transaction,
                new Notification(
                    NotificationEvents.NodeOffline,
                    "Node offline",
                    $"{name} has not reported since {DateTimeOffset.FromUnixTimeMilliseconds(seen):u}.",
                    _time.GetUtcNow()
                )
                {
                    NodeId = id,
                    NodeName = name,
                },
                $"node_offline:{id}:{seen}"
            );
        transaction.Commit();
        return added;
    }

    private Notification Episode(SqliteConnection connection, SqliteTransaction transaction, long episodeId)
    {
        using var read = connection
            .Command(
                "SELECT e.title, f.id, COALESCE(f.custom_title, f.title) FROM episodes e JOIN feeds f ON f.id = e.feed_id WHERE e.id = $id;",
                transaction
            )
            .With("$id", episodeId);
        using var reader = read.ExecuteReader();
        var notification = new Notification("", "", "", _time.GetUtcNow()) { EpisodeId = episodeId };
        return reader.Read()
            ? notification with
            {
                EpisodeTitle = reader.GetString(0),
                FeedId = reader.GetInt64(1),
                FeedTitle = reader.GetString(2),
            }
            : notification with
            {
                EpisodeTitle = $"Episode {episodeId}",
            };
    }

    private static string? NodeName(SqliteConnection connection, SqliteTransaction transaction, string nodeId)
    {
        using var read = connection.Command("SELECT name FROM nodes WHERE id = $id;", transaction).With("$id", nodeId);
        return read.ExecuteScalar() as string;
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}
