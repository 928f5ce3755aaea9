using System.Security.Cryptography;
using Cast2md.Storage;

namespace Cast2md.Queue;

public sealed partial class JobStore
{
    /// <summary>
    /// Claims the next runnable job of a type — lowest priority first, then oldest — in one UPDATE
    /// statement, so two workers (threads, processes or nodes) can never claim the same job.
    /// Returns null when nothing is runnable. With <paramref name="models"/>, only jobs that ask for no particular
    /// model or for one of those are taken (a node states the models it serves). With <paramref name="maxHeld"/>, a worker
    /// that already holds that many running jobs gets nothing (decided in the same statement, so parallel claims of one
    /// node cannot get past it). With <paramref name="longestFirstAt"/> (0 ≤ p &lt; 1), the jobs of the best priority are
    /// ordered by their episode's duration, longest first, and the one at that fraction of the list is taken: 0 the
    /// longest, larger values shorter ones (speed-aware routing gives fast nodes long episodes, slow nodes short ones).
    /// </summary>
    /// <param name="spans">
    /// Whether the worker transcribes spans (a stretch of an episode, see <see cref="Job.IsSpan"/>); one that does not
    /// (an old node) gets whole episodes only. A span goes only to a worker that holds nothing else, so the spans of one
    /// episode spread over idle workers instead of queueing behind a node's fetch-ahead.
    /// </param>
    public JobLease? TryClaim(
        JobType type,
        string workerId,
        TimeSpan leaseDuration,
        IReadOnlyCollection<string>? models = null,
        int? maxHeld = null,
        double? longestFirstAt = null,
        bool spans = false
    )
    {
        using var writing = database.Writing();
        var connection = writing.Connection;
        ReapExpiredLeases(connection);
        var now = NowMs();
        var token = NewToken();
        var expires = now + (long)leaseDuration.TotalMilliseconds;
        using var transaction = connection.BeginTransaction(deferred: false);
        using var claim = Command(connection, transaction, longestFirstAt is null ? OldestFirstClaim : LongestFirstClaim);
        claim.Parameters.AddWithValue("$now", now);
        claim.Parameters.AddWithValue("$worker", workerId);
        claim.Parameters.AddWithValue("$token", token);
        claim.Parameters.AddWithValue("$expires", expires);
        claim.Parameters.AddWithValue("$type", type.ToName());
        claim.Parameters.AddWithValue("$models", models is null ? DBNull.Value : ModelList(models));
        claim.Parameters.AddWithValue("$max", maxHeld is { } max ? max : DBNull.Value);
        claim.Parameters.AddWithValue("$spans", spans ? 1 : 0);
        if (longestFirstAt is { } position)
            claim.Parameters.AddWithValue("$position", Math.Clamp(double.IsFinite(position) ? position : 0, 0, 0.999999));
        var job = ReadSingle(claim);
        if (job is null)
            return null;
        using (
            var remember = Command(
                connection,
                transaction,
                "INSERT INTO job_claims (token, job_id, worker, claimed_ms) VALUES ($token, $job, $worker, $now);"
            )
        )
            remember.With("$token", token).With("$job", job.Id).With("$worker", workerId).With("$now", now).ExecuteNonQuery();
        SettleEpisode(connection, transaction, job.EpisodeId, type.ToName(), "running", null, false, now);
        AddHistory(connection, transaction, job.Id, now, "claimed", workerId, $"attempt {job.Attempts} of {job.MaxAttempts}");
        transaction.Commit();
        return new JobLease(job, token, FromMs(expires));
    }

    // Spans only for a worker that takes them and holds nothing; their parent's id orders them (an episode's spans go
    // out together, in time order, before later jobs of their priority).
    private static string SpanRuleOf(string table) =>
        $"({table}.parent_job_id IS NULL OR ($spans = 1 AND NOT EXISTS (SELECT 1 FROM jobs held WHERE held.claimed_by = $worker AND held.status = 'running')))";

    private static readonly string SpanRule = SpanRuleOf("jobs");

    private static readonly string OldestFirstClaim = $"""
        UPDATE jobs
        SET status = 'running', attempts = attempts + 1, started_ms = $now, claimed_by = $worker,
            lease_token = $token, lease_expires_ms = $expires, alive_ms = $now, progress_percent = 0, completed_ms = NULL
        WHERE id = (
            SELECT id FROM jobs
            WHERE job_type = $type AND status = 'queued' AND run_after_ms <= $now
              AND ($models IS NULL OR model IS NULL OR model IN (SELECT value FROM json_each($models)))
              AND ($max IS NULL OR (SELECT COUNT(*) FROM jobs held WHERE held.claimed_by = $worker AND held.status = 'running') < $max)
              AND {SpanRule}
            ORDER BY priority, COALESCE(parent_job_id, id), id
            LIMIT 1)
        RETURNING {JobColumns};
        """;

    // The same claim, but within the best priority the jobs are ordered by episode duration (unknown counts as 0) and
    // the one at $position of that list is taken: one statement still, so the choice and the claim cannot be separated.
    private static readonly string LongestFirstClaim = $"""
        WITH eligible AS (
            SELECT j.id, j.priority, COALESCE(e.duration_seconds, 0) AS duration
            FROM jobs j LEFT JOIN episodes e ON e.id = j.episode_id
            WHERE j.job_type = $type AND j.status = 'queued' AND j.run_after_ms <= $now
              AND ($models IS NULL OR j.model IS NULL OR j.model IN (SELECT value FROM json_each($models)))
              AND {SpanRuleOf("j")}),
        best AS (SELECT id, duration FROM eligible WHERE priority = (SELECT MIN(priority) FROM eligible))
        UPDATE jobs
        SET status = 'running', attempts = attempts + 1, started_ms = $now, claimed_by = $worker,
            lease_token = $token, lease_expires_ms = $expires, alive_ms = $now, progress_percent = 0, completed_ms = NULL
        WHERE id = (
            SELECT id FROM best ORDER BY duration DESC, id
            LIMIT 1 OFFSET (SELECT CAST(COUNT(*) * $position AS INTEGER) FROM best))
          AND ($max IS NULL OR (SELECT COUNT(*) FROM jobs held WHERE held.claimed_by = $worker AND held.status = 'running') < $max)
        RETURNING {JobColumns};
        """;

    /// <summary>
    /// Extends a lease while its worker is alive (and records progress). False means the lease is gone:
    /// the worker must stop and drop its result.
    /// </summary>
    public bool RenewLease(long jobId, string token, TimeSpan leaseDuration, double? progressPercent = null)
    {
        var now = NowMs();
        using var connection = database.Connect();
        using var renew = Command(
            connection,
            null,
            """
            UPDATE jobs
            SET lease_expires_ms = $expires, alive_ms = $now, progress_percent = COALESCE($progress, progress_percent)
            WHERE id = $id AND lease_token = $token AND status = 'running';
            """
        );
        renew.Parameters.AddWithValue("$expires", now + (long)leaseDuration.TotalMilliseconds);
        renew.Parameters.AddWithValue("$now", now);
        renew.Parameters.AddWithValue("$progress", progressPercent is { } p ? Math.Clamp(p, 0, 100) : DBNull.Value);
        renew.Parameters.AddWithValue("$id", jobId);
        renew.Parameters.AddWithValue("$token", token);
        return renew.ExecuteNonQuery() == 1;
    }

    /// <summary>
    /// A sign of life from <paramref name="workerId"/> about one job it holds now: its lease is extended and its progress
    /// recorded. A job held by anyone else (or not running) is left alone; false then.
    /// </summary>
    public bool RenewHeld(long jobId, string workerId, TimeSpan leaseDuration, double? progressPercent = null)
    {
        var now = NowMs();
        using var connection = database.Connect();
        using var renew = Command(
                connection,
                null,
                """
                UPDATE jobs
                SET lease_expires_ms = $expires, alive_ms = $now, progress_percent = COALESCE($progress, progress_percent)
                WHERE id = $id AND claimed_by = $worker AND status = 'running';
                """
            )
            .With("$expires", now + (long)leaseDuration.TotalMilliseconds)
            .With("$progress", progressPercent is { } p ? Math.Clamp(p, 0, 100) : null)
            .With("$id", jobId)
            .With("$worker", workerId)
            .With("$now", now);
        return renew.ExecuteNonQuery() == 1;
    }

    /// <summary>
    /// Running jobs whose lease ran out (their worker died or hung) go back to the queue — or fail, once
    /// they have used all their attempts. Called before every claim, so no separate sweeper is needed.
    /// </summary>
    public int ReapExpiredLeases()
    {
        using var connection = database.Connect();
        return ReapExpiredLeases(connection);
    }

    /// <summary>The same on the caller's connection (a claim reaps on the connection it claims with).</summary>
    private int ReapExpiredLeases(Microsoft.Data.Sqlite.SqliteConnection connection)
    {
        var now = NowMs();
        // Almost always nothing has expired: a read on the lease index avoids taking the write lock per claim.
        using (var any = Command(connection, null, "SELECT 1 FROM jobs WHERE status = 'running' AND lease_expires_ms < $now LIMIT 1;"))
        {
            any.Parameters.AddWithValue("$now", now);
            if (any.ExecuteScalar() is null)
                return 0;
        }
        using var transaction = connection.BeginTransaction(deferred: false);
        using var reap = Command(
            connection,
            transaction,
            """
            UPDATE jobs
            SET status = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END,
                completed_ms = CASE WHEN attempts >= max_attempts THEN $now END,
                error_message = CASE WHEN attempts >= max_attempts THEN 'lease expired on the last attempt' ELSE error_message END,
                lease_token = NULL, lease_expires_ms = NULL, run_after_ms = $now, progress_percent = NULL
            WHERE status = 'running' AND lease_expires_ms < $now
            RETURNING id, claimed_by, status, episode_id, job_type, error_message;
            """
        );
        reap.Parameters.AddWithValue("$now", now);
        var reaped = new List<(long Id, string? Worker, bool Failed, long EpisodeId, string JobType, string? Error)>();
        using (var reader = reap.ExecuteReader())
            while (reader.Read())
                reaped.Add(
                    (
                        reader.GetInt64(0),
                        reader.GetStringOrNull(1),
                        reader.GetString(2) == "failed",
                        reader.GetInt64(3),
                        reader.GetString(4),
                        reader.GetStringOrNull(5)
                    )
                );
        foreach (var (id, worker, failed, episodeId, jobType, error) in reaped)
        {
            SettleEpisode(connection, transaction, id, now);
            AddHistory(connection, transaction, id, now, "lease_expired", worker, failed ? "failed: no attempts left" : "requeued");
            if (failed)
                EndFamily(connection, transaction, id, "failed", error ?? "lease expired on the last attempt", worker, now);
            if (failed)
                onFailedForGood?.Invoke(
                    connection,
                    transaction,
                    new FailedJob(id, episodeId, jobType, error ?? "lease expired on the last attempt", worker)
                );
        }
        transaction.Commit();
        return reaped.Count;
    }

    private static string ModelList(IReadOnlyCollection<string> models) =>
        System.Text.Json.JsonSerializer.Serialize(models.ToArray(), Json.Cast2mdJsonContext.Default.StringArray);

    private static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
