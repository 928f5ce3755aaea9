using Cast2md.Storage;

namespace Cast2md.Queue;

public sealed partial class JobStore
{
    /// <summary>
    /// Batch reset of stuck jobs: every job running since before <paramref name="startedBefore"/> whose holder has shown
    /// no sign of life (claim, lease renewal, progress, heartbeat) since then either goes back to the queue, or fails when
    /// it has used all its attempts. A slow job whose worker keeps reporting is not stuck, however long it runs. Their leases die, so their workers stop at the next renewal.
    /// Returns (requeued, failed).
    /// </summary>
    public (int Requeued, int Failed) ResetStuck(DateTimeOffset startedBefore, string actor = "admin")
    {
        var now = NowMs();
        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction(deferred: false);
        // The holders, read before the update clears them: a job failed for good is told with the worker that went silent.
        var holders = new Dictionary<long, string?>();
        using (
            var read = Command(
                    connection,
                    transaction,
                    """
                    SELECT id, claimed_by FROM jobs
                    WHERE status = 'running' AND spans IS NULL AND started_ms IS NOT NULL AND started_ms < $before AND COALESCE(alive_ms, started_ms) < $before;
                    """
                )
                .With("$before", startedBefore.ToUnixTimeMilliseconds())
        )
        using (var reader = read.ExecuteReader())
            while (reader.Read())
                holders[reader.GetInt64(0)] = reader.GetStringOrNull(1);
        using var update = Command(
            connection,
            transaction,
            """
            UPDATE jobs
            SET status = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END,
                completed_ms = CASE WHEN attempts >= max_attempts THEN $now END,
                error_message = CASE WHEN attempts >= max_attempts THEN 'stuck: reset after its last attempt' ELSE error_message END,
                run_after_ms = $now, lease_token = NULL, lease_expires_ms = NULL, progress_percent = NULL, claimed_by = NULL
            WHERE status = 'running' AND spans IS NULL AND started_ms IS NOT NULL AND started_ms < $before AND COALESCE(alive_ms, started_ms) < $before
            RETURNING id, status, episode_id, job_type, error_message;
            """
        );
        update.Parameters.AddWithValue("$now", now);
        update.Parameters.AddWithValue("$before", startedBefore.ToUnixTimeMilliseconds());
        var changed = new List<(long Id, bool Failed, long EpisodeId, string JobType, string? Error)>();
        using (var reader = update.ExecuteReader())
            while (reader.Read())
                changed.Add(
                    (reader.GetInt64(0), reader.GetString(1) == "failed", reader.GetInt64(2), reader.GetString(3), reader.GetStringOrNull(4))
                );
        foreach (var (id, failed, episodeId, jobType, error) in changed)
        {
            SettleEpisode(connection, transaction, id, now);
            AddHistory(connection, transaction, id, now, failed ? "failed" : "reset", actor, "stuck");
            if (failed)
                EndFamily(connection, transaction, id, "failed", error ?? "stuck: reset after its last attempt", actor, now);
            if (failed)
                onFailedForGood?.Invoke(
                    connection,
                    transaction,
                    new FailedJob(id, episodeId, jobType, error ?? "stuck: reset after its last attempt", holders.GetValueOrDefault(id))
                );
        }
        transaction.Commit();
        return (changed.Count(c => !c.Failed), changed.Count(c => c.Failed));
    }

    /// <summary>Deletes finished (completed, failed, cancelled) jobs that finished before <paramref name="finishedBefore"/>, with their history.</summary>
    public int DeleteFinished(DateTimeOffset finishedBefore)
    {
        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction(deferred: false);
        using var delete = Command(
            connection,
            transaction,
            """
            DELETE FROM jobs
            WHERE status IN ('completed', 'failed', 'cancelled') AND COALESCE(completed_ms, created_ms) < $before
              AND (parent_job_id IS NULL OR NOT EXISTS (SELECT 1 FROM jobs parent WHERE parent.id = jobs.parent_job_id AND parent.status IN ('queued', 'running')))
            RETURNING id;
            """
        );
        delete.Parameters.AddWithValue("$before", finishedBefore.ToUnixTimeMilliseconds());
        var ids = new List<long>();
        using (var reader = delete.ExecuteReader())
            while (reader.Read())
                ids.Add(reader.GetInt64(0));
        DeleteHistory(connection, transaction, ids);
        transaction.Commit();
        return ids.Count;
    }

    /// <summary>Deletes a job in any state, with its history. A running job's worker loses its lease (its renewals and completion are refused).</summary>
    public bool ForceDelete(long jobId)
    {
        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction(deferred: false);
        // A deleted span leaves its split unable to finish (its family is cancelled); a deleted parent takes its spans along.
        EndFamily(connection, transaction, jobId, "cancelled", null, "admin", NowMs());
        var spans = new List<long>();
        using (var children = Command(connection, transaction, "DELETE FROM jobs WHERE parent_job_id = $id RETURNING id;").With("$id", jobId))
        using (var reader = children.ExecuteReader())
            while (reader.Read())
                spans.Add(reader.GetInt64(0));
        DeleteHistory(connection, transaction, spans);
        using var delete = Command(connection, transaction, "DELETE FROM jobs WHERE id = $id RETURNING episode_id;");
        delete.Parameters.AddWithValue("$id", jobId);
        if (delete.ExecuteScalar() is not long episodeId)
            return false;
        DeleteHistory(connection, transaction, [jobId]);
        SettleEpisodeOf(connection, transaction, episodeId, NowMs());
        transaction.Commit();
        return true;
    }

    /// <summary>When the episode's last job of <paramref name="type"/> finished (or was created, when it never finished); null without one.</summary>
    public DateTimeOffset? LastAttempt(long episodeId, JobType type)
    {
        using var connection = database.Connect();
        using var command = Command(
            connection,
            null,
            "SELECT MAX(COALESCE(completed_ms, started_ms, created_ms)) FROM jobs WHERE episode_id = $episode AND job_type = $type;"
        );
        command.Parameters.AddWithValue("$episode", episodeId);
        command.Parameters.AddWithValue("$type", type.ToName());
        return command.ExecuteScalar() is long ms ? FromMs(ms) : null;
    }

    private static void DeleteHistory(
        Microsoft.Data.Sqlite.SqliteConnection connection,
        Microsoft.Data.Sqlite.SqliteTransaction transaction,
        IReadOnlyCollection<long> jobIds
    )
    {
        if (jobIds.Count == 0)
            return;
        using var history = Command(connection, transaction, "DELETE FROM job_history WHERE job_id IN (SELECT value FROM json_each($ids));");
        history.Parameters.AddWithValue("$ids", "[" + string.Join(',', jobIds) + "]");
        history.ExecuteNonQuery();
    }
}
