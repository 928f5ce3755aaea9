using Cast2md.Storage;
using Microsoft.Data.Sqlite;

namespace Cast2md.Queue;

public sealed partial class JobStore
{
    /// <summary>The running jobs a worker holds (a node: <c>node:{id}</c>).</summary>
    public IReadOnlyList<Job> HeldBy(string workerId)
    {
        using var connection = database.Connect();
        using var command = Command(connection, null, $"SELECT {JobColumns} FROM jobs WHERE claimed_by = $worker AND status = 'running' ORDER BY id;")
            .With("$worker", workerId);
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
        using var extend = Command(
                connection,
                null,
                """
                UPDATE jobs SET lease_expires_ms = $expires, alive_ms = $now
                WHERE claimed_by = $worker AND status = 'running'
                  AND ($ids IS NULL OR id IN (SELECT value FROM json_each($ids)))
                RETURNING id;
                """
            )
            .With("$expires", now + (long)leaseDuration.TotalMilliseconds)
            .With("$worker", workerId)
            .With("$now", now)
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

    /// <summary>
    /// The worker a lease token was issued to for this job, or null when it never was. A claim older than the job itself
    /// (an id reused by a database from before ids were never reused) does not count.
    /// </summary>
    public string? TokenOwner(long jobId, string token)
    {
        using var connection = database.Connect();
        using var command = Command(
                connection,
                null,
                """
                SELECT c.worker FROM job_claims c JOIN jobs j ON j.id = c.job_id
                WHERE c.token = $token AND c.job_id = $job AND c.claimed_ms >= j.created_ms;
                """
            )
            .With("$token", token)
            .With("$job", jobId);
        return command.ExecuteScalar() as string;
    }

    /// <summary>
    /// Accepts a result from a worker whose lease was lost (expired while it kept working, or reset) when it can still be
    /// the episode's latest: the job is queued, running elsewhere or failed, it was not cancelled since the claim, and no
    /// newer job of the same episode and type has completed or is running. Whoever runs the job now loses its lease.
    /// Anything else refuses it (<see cref="TransitionResult.LeaseLost"/>). Inside the caller's transaction.
    /// </summary>
    internal TransitionResult CompleteLate(
        SqliteConnection connection,
        SqliteTransaction transaction,
        long jobId,
        string token,
        string workerId,
        out (long EpisodeId, string JobType) completed
    )
    {
        completed = default;
        var now = NowMs();
        long claimedMs;
        using (
            var issued = Command(
                    connection,
                    transaction,
                    """
                    SELECT c.claimed_ms FROM job_claims c JOIN jobs j ON j.id = c.job_id
                    WHERE c.token = $token AND c.job_id = $job AND c.worker = $worker AND c.claimed_ms >= j.created_ms;
                    """
                )
                .With("$token", token)
                .With("$job", jobId)
                .With("$worker", workerId)
        )
        {
            if (issued.ExecuteScalar() is not long ms)
                return Exists(connection, transaction, jobId) ? TransitionResult.LeaseLost : TransitionResult.NotFound;
            claimedMs = ms;
        }

        string? before;
        using (var read = Command(connection, transaction, "SELECT status FROM jobs WHERE id = $id;").With("$id", jobId))
            before = read.ExecuteScalar() as string;
        if (before is not ("queued" or "running" or "failed"))
            return Refused(connection, transaction, jobId, token, JobStatus.Completed);
        using (
            var superseded = Command(
                    connection,
                    transaction,
                    """
                    SELECT 1 FROM jobs me
                    WHERE me.id = $id AND (
                        EXISTS (SELECT 1 FROM jobs newer WHERE newer.episode_id = me.episode_id AND newer.job_type = me.job_type
                                AND newer.id > me.id AND newer.status IN ('completed', 'running'))
                        OR EXISTS (SELECT 1 FROM job_history h WHERE h.job_id = me.id AND h.event = 'cancelled' AND h.at_ms >= $claimed));
                    """
                )
                .With("$id", jobId)
                .With("$claimed", claimedMs)
        )
        {
            if (superseded.ExecuteScalar() is not null)
                return TransitionResult.LeaseLost;
        }
        using (
            var accept = Command(
                    connection,
                    transaction,
                    """
                    UPDATE jobs
                    SET status = 'completed', completed_ms = $now, progress_percent = 100, lease_expires_ms = NULL, error_message = NULL,
                        permanent_failure = 0, lease_token = $token, claimed_by = $worker
                    WHERE id = $id
                    RETURNING episode_id, job_type;
                    """
                )
                .With("$now", now)
                .With("$token", token)
                .With("$worker", workerId)
                .With("$id", jobId)
        )
        using (var reader = accept.ExecuteReader())
        {
            if (!reader.Read())
                return TransitionResult.NotFound;
            completed = (reader.GetInt64(0), reader.GetString(1));
        }
        AddHistory(connection, transaction, jobId, now, "completed", workerId, $"late result accepted (the job was {before})");
        return TransitionResult.Done;
    }

    /// <summary>Every job a worker holds goes back to the queue at once, its attempt not counted (a node was removed).</summary>
    public IReadOnlyList<long> ReleaseAllHeldBy(string workerId, string actor, string reason)
    {
        var now = NowMs();
        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction(deferred: false);
        using var release = Command(
                connection,
                transaction,
                """
                UPDATE jobs
                SET status = 'queued', attempts = MAX(attempts - 1, 0), run_after_ms = $now,
                    lease_token = NULL, lease_expires_ms = NULL, progress_percent = NULL, claimed_by = NULL
                WHERE claimed_by = $worker AND status = 'running'
                RETURNING id;
                """
            )
            .With("$now", now)
            .With("$worker", workerId);
        var ids = new List<long>();
        using (var reader = release.ExecuteReader())
            while (reader.Read())
                ids.Add(reader.GetInt64(0));
        foreach (var id in ids)
        {
            SettleEpisode(connection, transaction, id, now);
            AddHistory(connection, transaction, id, now, "released", actor, reason);
        }
        transaction.Commit();
        return ids;
    }

    /// <summary>Whether a job of this type could be claimed now (a cheap read before waking waiting claimers).</summary>
    public bool HasRunnable(JobType type)
    {
        using var connection = database.Connect();
        using var command = Command(
                connection,
                null,
                "SELECT 1 FROM jobs WHERE job_type = $type AND status = 'queued' AND run_after_ms <= $now LIMIT 1;"
            )
            .With("$type", type.ToName())
            .With("$now", NowMs());
        return command.ExecuteScalar() is not null;
    }

    private static bool Exists(SqliteConnection connection, SqliteTransaction transaction, long jobId)
    {
        using var command = Command(connection, transaction, "SELECT 1 FROM jobs WHERE id = $id;").With("$id", jobId);
        return command.ExecuteScalar() is not null;
    }
}
