using Cast2md.Storage;

namespace Cast2md.Queue;

public sealed partial class JobStore
{
    /// <summary>The running jobs a worker holds (a node: <c>node:{id}</c>).</summary>
    public IReadOnlyList<Job> HeldBy(string workerId)
    {
        using var connection = database.Connect();
        using var command = Command(connection, null,
            $"SELECT {JobColumns} FROM jobs WHERE claimed_by = $worker AND status = 'running' ORDER BY id;").With("$worker", workerId);
        return ReadAll(command);
    }

    /// <summary>
    /// A sign of life from a worker: the leases of the listed jobs it holds (all its jobs when <paramref name="jobIds"/>
    /// is null) now run until now + <paramref name="leaseDuration"/>. Returns the listed jobs it no longer holds, so it
    /// can stop working on them. A job missing from the list is not released: it only stops being extended.
    /// </summary>
    public IReadOnlyList<long> ExtendLeases(string workerId, IReadOnlyCollection<long>? jobIds, TimeSpan leaseDuration)
    {
        var now = NowMs();
        using var connection = database.Connect();
        using var extend = Command(connection, null,
            """
            UPDATE jobs SET lease_expires_ms = $expires
            WHERE claimed_by = $worker AND status = 'running'
              AND ($ids IS NULL OR id IN (SELECT value FROM json_each($ids)))
            RETURNING id;
            """)
            .With("$expires", now + (long)leaseDuration.TotalMilliseconds)
            .With("$worker", workerId)
            .With("$ids", jobIds is null ? null : "[" + string.Join(',', jobIds) + "]");
        var held = new HashSet<long>();
        using (var reader = extend.ExecuteReader())
            while (reader.Read())
                held.Add(reader.GetInt64(0));
        return jobIds is null ? [] : [.. jobIds.Where(id => !held.Contains(id)).Distinct()];
    }

    /// <summary>The current lease token of a running job (for callers that authenticate the holder another way).</summary>
    public string? LeaseToken(long jobId)
    {
        using var connection = database.Connect();
        using var command = Command(connection, null, "SELECT lease_token FROM jobs WHERE id = $id AND status = 'running';").With("$id", jobId);
        return command.ExecuteScalar() as string;
    }

    /// <summary>The token a completed job was completed under (kept so a repeated completion is recognised).</summary>
    public string? CompletedToken(long jobId)
    {
        using var connection = database.Connect();
        using var command = Command(connection, null, "SELECT lease_token FROM jobs WHERE id = $id AND status = 'completed';").With("$id", jobId);
        return command.ExecuteScalar() as string;
    }

    /// <summary>The worker a lease token was issued to for this job, or null when it never was.</summary>
    public string? TokenOwner(long jobId, string token)
    {
        using var connection = database.Connect();
        using var command = Command(connection, null, "SELECT worker FROM job_claims WHERE token = $token AND job_id = $job;")
            .With("$token", token).With("$job", jobId);
        return command.ExecuteScalar() as string;
    }

    /// <summary>
    /// Accepts a result from a worker whose lease was lost (expired while it kept working, or reset) as long as nobody
    /// completed the job since: the work is not wasted, and whoever runs the job now loses its lease. A job that was
    /// completed by someone else or cancelled refuses it (<see cref="TransitionResult.LeaseLost"/>).
    /// </summary>
    public TransitionResult CompleteLate(long jobId, string token, string workerId)
    {
        var now = NowMs();
        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction(deferred: false);
        using (var issued = Command(connection, transaction, "SELECT 1 FROM job_claims WHERE token = $token AND job_id = $job AND worker = $worker;")
                   .With("$token", token).With("$job", jobId).With("$worker", workerId))
        {
            if (issued.ExecuteScalar() is null)
                return Exists(connection, transaction, jobId) ? TransitionResult.LeaseLost : TransitionResult.NotFound;
        }

        string? before;
        using (var read = Command(connection, transaction, "SELECT status FROM jobs WHERE id = $id;").With("$id", jobId))
            before = read.ExecuteScalar() as string;
        if (before is not ("queued" or "running" or "failed"))
            return Refused(connection, transaction, jobId, token, JobStatus.Completed);
        using (var accept = Command(connection, transaction,
                   """
                   UPDATE jobs
                   SET status = 'completed', completed_ms = $now, progress_percent = 100, lease_expires_ms = NULL, error_message = NULL,
                       permanent_failure = 0, lease_token = $token, claimed_by = $worker
                   WHERE id = $id;
                   """)
               .With("$now", now).With("$token", token).With("$worker", workerId).With("$id", jobId))
            accept.ExecuteNonQuery();
        AddHistory(connection, transaction, jobId, now, "completed", workerId, $"late result accepted (the job was {before})");
        transaction.Commit();
        return TransitionResult.Done;
    }

    /// <summary>Every job a worker holds goes back to the queue at once, its attempt not counted (a node was removed).</summary>
    public IReadOnlyList<long> ReleaseAllHeldBy(string workerId, string actor, string reason)
    {
        var now = NowMs();
        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction(deferred: false);
        using var release = Command(connection, transaction,
            """
            UPDATE jobs
            SET status = 'queued', attempts = MAX(attempts - 1, 0), run_after_ms = $now,
                lease_token = NULL, lease_expires_ms = NULL, progress_percent = NULL, claimed_by = NULL
            WHERE claimed_by = $worker AND status = 'running'
            RETURNING id;
            """).With("$now", now).With("$worker", workerId);
        var ids = new List<long>();
        using (var reader = release.ExecuteReader())
            while (reader.Read())
                ids.Add(reader.GetInt64(0));
        foreach (var id in ids)
            AddHistory(connection, transaction, id, now, "released", actor, reason);
        transaction.Commit();
        return ids;
    }

    /// <summary>Whether a job of this type could be claimed now (a cheap read before waking waiting claimers).</summary>
    public bool HasRunnable(JobType type)
    {
        using var connection = database.Connect();
        using var command = Command(connection, null,
            "SELECT 1 FROM jobs WHERE job_type = $type AND status = 'queued' AND run_after_ms <= $now LIMIT 1;")
            .With("$type", type.ToName()).With("$now", NowMs());
        return command.ExecuteScalar() is not null;
    }

    private static bool Exists(Microsoft.Data.Sqlite.SqliteConnection connection, Microsoft.Data.Sqlite.SqliteTransaction transaction, long jobId)
    {
        using var command = Command(connection, transaction, "SELECT 1 FROM jobs WHERE id = $id;").With("$id", jobId);
        return command.ExecuteScalar() is not null;
    }
}
