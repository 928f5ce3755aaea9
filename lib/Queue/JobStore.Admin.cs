namespace Cast2md.Queue;

public sealed partial class JobStore
{
    /// <summary>
    /// On server start: every job a previous run left running is queued again, whoever held it —
    /// no owner value is special (the original missed jobs held by its 'local' sentinel).
    /// Nodes keep their jobs only through live leases; call this before any worker starts.
    /// </summary>
    public int RequeueAbandoned(string? onlyWorkerPrefix = null, string actor = "startup")
    {
        var now = NowMs();
        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction(deferred: false);
        using var requeue = Command(
            connection,
            transaction,
            """
            UPDATE jobs
            SET status = 'queued', run_after_ms = $now, lease_token = NULL, lease_expires_ms = NULL,
                progress_percent = NULL, claimed_by = NULL
            WHERE status = 'running' AND spans IS NULL AND ($prefix IS NULL OR claimed_by LIKE $prefix || '%' ESCAPE '\')
            RETURNING id, claimed_by;
            """
        );
        requeue.Parameters.AddWithValue("$now", now);
        requeue.Parameters.AddWithValue("$prefix", onlyWorkerPrefix is null ? DBNull.Value : EscapeLike(onlyWorkerPrefix));
        var ids = new List<(long, string?)>();
        using (var reader = requeue.ExecuteReader())
            while (reader.Read())
                ids.Add((reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        foreach (var (id, worker) in ids)
        {
            SettleEpisode(connection, transaction, id, now);
            AddHistory(connection, transaction, id, now, "requeued", actor, worker is null ? null : $"was held by {worker}");
        }
        transaction.Commit();
        return ids.Count;
    }

    /// <summary>
    /// Admin reset: a running job goes back to the queue at once, whoever holds it; its lease dies. A span is queued
    /// again alone; a split parent goes back whole, its unfinished spans cancelled.
    /// </summary>
    public TransitionResult Reset(long jobId, string actor = "admin") =>
        AdminTransition(
            jobId,
            actor,
            "reset",
            """
            UPDATE jobs
            SET status = 'queued', run_after_ms = $now, lease_token = NULL, lease_expires_ms = NULL,
                progress_percent = NULL, claimed_by = NULL, error_message = NULL, spans = NULL
            WHERE id = $id AND status = 'running'
            RETURNING id;
            """,
            also: (connection, transaction, now) => CancelSpansOf(connection, transaction, jobId, actor, now)
        );

    /// <summary>
    /// Admin retry: a failed (or cancelled) job is queued again with its attempts reset. A split parent is queued whole
    /// (it may be split again); a span alone is not retried, its split having ended with it.
    /// </summary>
    public TransitionResult Retry(long jobId, string actor = "admin") =>
        AdminTransition(
            jobId,
            actor,
            "retried",
            """
            UPDATE jobs
            SET status = 'queued', attempts = 0, run_after_ms = $now, completed_ms = NULL, error_message = NULL,
                permanent_failure = 0, lease_token = NULL, lease_expires_ms = NULL, claimed_by = NULL, spans = NULL
            WHERE id = $id AND status IN ('failed', 'cancelled') AND parent_job_id IS NULL
              AND NOT EXISTS (SELECT 1 FROM jobs other WHERE other.episode_id = jobs.episode_id
                              AND other.job_type = jobs.job_type AND other.status IN ('queued', 'running'))
            RETURNING id;
            """
        );

    /// <summary>
    /// Cancels a queued or running job; a running job's worker learns it at its next lease renewal. Cancelling a split
    /// parent or any of its spans cancels the whole family (every span's lease revoked).
    /// </summary>
    public TransitionResult Cancel(long jobId, string actor = "admin") =>
        AdminTransition(
            jobId,
            actor,
            "cancelled",
            """
            UPDATE jobs
            SET status = 'cancelled', completed_ms = $now, lease_token = NULL, lease_expires_ms = NULL
            WHERE id = $id AND status IN ('queued', 'running')
            RETURNING id;
            """,
            also: (connection, transaction, now) => EndFamily(connection, transaction, jobId, "cancelled", null, actor, now)
        );

    /// <summary>Changes the priority of a job that has not finished (lower runs first).</summary>
    public TransitionResult SetPriority(long jobId, int priority, string actor = "admin") =>
        AdminTransition(
            jobId,
            actor,
            $"priority {priority}",
            """
            UPDATE jobs SET priority = $priority
            WHERE id = $id AND status IN ('queued', 'running')
            RETURNING id;
            """,
            [("$priority", priority)]
        );

    private TransitionResult AdminTransition(
        long jobId,
        string actor,
        string @event,
        string sql,
        (string Name, object Value)[]? extra = null,
        Action<Microsoft.Data.Sqlite.SqliteConnection, Microsoft.Data.Sqlite.SqliteTransaction, long>? also = null
    )
    {
        var now = NowMs();
        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = Command(connection, transaction, sql);
        command.Parameters.AddWithValue("$now", now);
        command.Parameters.AddWithValue("$id", jobId);
        foreach (var (name, value) in extra ?? [])
            command.Parameters.AddWithValue(name, value);
        if (command.ExecuteScalar() is null)
        {
            using var exists = Command(connection, transaction, "SELECT 1 FROM jobs WHERE id = $id;");
            exists.Parameters.AddWithValue("$id", jobId);
            return exists.ExecuteScalar() is null ? TransitionResult.NotFound : TransitionResult.LeaseLost;
        }
        SettleEpisode(connection, transaction, jobId, now);
        AddHistory(connection, transaction, jobId, now, @event.Split(' ')[0], actor, @event.Contains(' ') ? @event : null);
        also?.Invoke(connection, transaction, now);
        transaction.Commit();
        return TransitionResult.Done;
    }

    private static string EscapeLike(string value) => value.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");
}
