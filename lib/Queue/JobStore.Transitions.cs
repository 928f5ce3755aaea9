using Cast2md.Storage;
using Microsoft.Data.Sqlite;

namespace Cast2md.Queue;

public sealed partial class JobStore
{
    /// <summary>Marks a held job completed. Completing again under the same token is harmless.</summary>
    public TransitionResult Complete(long jobId, string token)
    {
        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction(deferred: false);
        var result = Complete(connection, transaction, jobId, token, out _);
        if (result == TransitionResult.Done)
            transaction.Commit();
        return result;
    }

    /// <summary>
    /// The completion inside a caller's transaction (which also records the result); commits nothing. On
    /// <see cref="TransitionResult.Done"/>, <paramref name="completed"/> is the job's episode and type, read by the same
    /// statement that completes it (a completion is on the hot path of every worker: no second read).
    /// </summary>
    internal TransitionResult Complete(
        SqliteConnection connection,
        SqliteTransaction transaction,
        long jobId,
        string token,
        out (long EpisodeId, string JobType) completed
    )
    {
        completed = default;
        var now = NowMs();
        using var complete = Command(
            connection,
            transaction,
            """
            UPDATE jobs
            SET status = 'completed', completed_ms = $now, progress_percent = 100, lease_expires_ms = NULL, error_message = NULL
            WHERE id = $id AND lease_token = $token AND status = 'running'
            RETURNING claimed_by, episode_id, job_type;
            """
        );
        complete.Parameters.AddWithValue("$now", now);
        complete.Parameters.AddWithValue("$id", jobId);
        complete.Parameters.AddWithValue("$token", token);
        string? worker;
        using (var reader = complete.ExecuteReader())
        {
            if (!reader.Read())
            {
                reader.Close();
                return Refused(connection, transaction, jobId, token, JobStatus.Completed);
            }
            worker = reader.GetStringOrNull(0);
            completed = (reader.GetInt64(1), reader.GetString(2));
        }
        AddHistory(connection, transaction, jobId, now, "completed", worker, null);
        return TransitionResult.Done;
    }

    /// <summary>
    /// Records a failed attempt. A permanent failure (a 404 enclosure, audio that does not decode) fails
    /// the job at once; otherwise it is retried after an exponential, jittered back-off until its attempts
    /// are used up.
    /// </summary>
    /// <param name="episodeStatus">Where the episode waits meanwhile, when the handler knows better (a publisher transcript not there yet).</param>
    public TransitionResult Fail(long jobId, string token, string error, bool permanent = false, Library.EpisodeStatus? episodeStatus = null)
    {
        var now = NowMs();
        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction(deferred: false);
        using var read = Command(
            connection,
            transaction,
            "SELECT attempts, max_attempts, claimed_by, episode_id, job_type FROM jobs WHERE id = $id AND lease_token = $token AND status = 'running';"
        );
        read.Parameters.AddWithValue("$id", jobId);
        read.Parameters.AddWithValue("$token", token);
        int attempts,
            maxAttempts;
        string? worker;
        long episodeId;
        string jobType;
        using (var reader = read.ExecuteReader())
        {
            if (!reader.Read())
                return Refused(connection, transaction, jobId, token, JobStatus.Failed);
            (attempts, maxAttempts, worker) = (reader.GetInt32(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2));
            (episodeId, jobType) = (reader.GetInt64(3), reader.GetString(4));
        }

        var final = permanent || attempts >= maxAttempts;
        var runAfter = final ? now : now + (long)RetryDelay(attempts).TotalMilliseconds;
        using var fail = Command(
            connection,
            transaction,
            """
            UPDATE jobs
            SET status = $status, error_message = $error, permanent_failure = $permanent, run_after_ms = $runAfter,
                completed_ms = CASE WHEN $status = 'failed' THEN $now END,
                lease_token = NULL, lease_expires_ms = NULL, progress_percent = NULL
            WHERE id = $id;
            """
        );
        fail.Parameters.AddWithValue("$status", final ? "failed" : "queued");
        fail.Parameters.AddWithValue("$error", error);
        fail.Parameters.AddWithValue("$permanent", permanent ? 1 : 0);
        fail.Parameters.AddWithValue("$runAfter", runAfter);
        fail.Parameters.AddWithValue("$now", now);
        fail.Parameters.AddWithValue("$id", jobId);
        fail.ExecuteNonQuery();
        SettleEpisode(connection, transaction, jobId, now);
        if (episodeStatus is { } waiting)
        {
            using var episode = Command(
                connection,
                transaction,
                "UPDATE episodes SET status = $status, error_message = $error, updated_ms = $now WHERE id = (SELECT episode_id FROM jobs WHERE id = $id);"
            );
            episode.Parameters.AddWithValue("$status", Library.EpisodeStatuses.ToName(waiting));
            episode.Parameters.AddWithValue("$error", error);
            episode.Parameters.AddWithValue("$now", now);
            episode.Parameters.AddWithValue("$id", jobId);
            episode.ExecuteNonQuery();
        }
        AddHistory(
            connection,
            transaction,
            jobId,
            now,
            final ? "failed" : "retry_scheduled",
            worker,
            final ? error : $"{error} (retry after {FromMs(runAfter):O})"
        );
        if (final)
        {
            // A span failed for good fails its whole split: the transcript cannot be stitched without it.
            EndFamily(connection, transaction, jobId, "failed", error, worker, now);
            onFailedForGood?.Invoke(connection, transaction, new FailedJob(jobId, episodeId, jobType, error, worker));
        }
        transaction.Commit();
        return TransitionResult.Done;
    }

    /// <summary>
    /// Gives a held job back untouched (graceful shutdown): it is queued again at once and the attempt is
    /// not counted, because the job did not fail.
    /// </summary>
    public TransitionResult Release(long jobId, string token, string? reason = null)
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
            WHERE id = $id AND lease_token = $token AND status = 'running'
            RETURNING id;
            """
        );
        release.Parameters.AddWithValue("$now", now);
        release.Parameters.AddWithValue("$id", jobId);
        release.Parameters.AddWithValue("$token", token);
        if (release.ExecuteScalar() is null)
            return Refused(connection, transaction, jobId, token, JobStatus.Queued);
        SettleEpisode(connection, transaction, jobId, now);
        AddHistory(connection, transaction, jobId, now, "released", null, reason);
        transaction.Commit();
        return TransitionResult.Done;
    }

    /// <summary>
    /// Gives a held job back without using an attempt, to be claimed again no sooner than <paramref name="runAfter"/>
    /// (or when the work it waits for queues it again). Inside the caller's transaction; returns the episode, or null
    /// when the job is not held under the token.
    /// </summary>
    internal long? ReleaseUntil(
        SqliteConnection connection,
        SqliteTransaction transaction,
        long jobId,
        string token,
        DateTimeOffset runAfter,
        string reason
    )
    {
        var now = NowMs();
        using var release = Command(
            connection,
            transaction,
            """
            UPDATE jobs
            SET status = 'queued', attempts = MAX(attempts - 1, 0), run_after_ms = $runAfter,
                lease_token = NULL, lease_expires_ms = NULL, progress_percent = NULL, claimed_by = NULL
            WHERE id = $id AND lease_token = $token AND status = 'running'
            RETURNING episode_id;
            """
        );
        release.Parameters.AddWithValue("$runAfter", runAfter.ToUnixTimeMilliseconds());
        release.Parameters.AddWithValue("$id", jobId);
        release.Parameters.AddWithValue("$token", token);
        if (release.ExecuteScalar() is not long episodeId)
            return null;
        AddHistory(connection, transaction, jobId, now, "released", null, reason);
        return episodeId;
    }

    /// <summary>A queued job that waited for other work runs now (its audio arrived).</summary>
    internal void RunNow(SqliteConnection connection, SqliteTransaction transaction, long jobId)
    {
        using var now = Command(
            connection,
            transaction,
            "UPDATE jobs SET run_after_ms = MIN(run_after_ms, $now) WHERE id = $id AND status = 'queued';"
        );
        now.Parameters.AddWithValue("$now", NowMs());
        now.Parameters.AddWithValue("$id", jobId);
        now.ExecuteNonQuery();
    }

    /// <summary>Back-off after the n-th failed attempt: base × 5^(n−1), capped, with ± jitter.</summary>
    public TimeSpan RetryDelay(int attempts)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 20);
        var delay = Math.Min(_options.RetryBaseDelay.TotalMilliseconds * Math.Pow(5, exponent), _options.RetryMaxDelay.TotalMilliseconds);
        var jitter = 1 + (Random.Shared.NextDouble() * 2 - 1) * _options.RetryJitter;
        return TimeSpan.FromMilliseconds(delay * jitter);
    }

    private TransitionResult Refused(SqliteConnection connection, SqliteTransaction transaction, long jobId, string token, JobStatus wanted)
    {
        using var read = Command(connection, transaction, "SELECT status, lease_token FROM jobs WHERE id = $id;");
        read.Parameters.AddWithValue("$id", jobId);
        using var reader = read.ExecuteReader();
        if (!reader.Read())
            return TransitionResult.NotFound;
        var status = JobStatuses.Parse(reader.GetString(0));
        var heldToken = reader.IsDBNull(1) ? null : reader.GetString(1);
        // The token stays on a completed job, so a repeated completion is recognised as such.
        return status == wanted && heldToken == token ? TransitionResult.AlreadyDone : TransitionResult.LeaseLost;
    }
}
