using Cast2md.Storage;
using Microsoft.Data.Sqlite;

namespace Cast2md.Queue;

/// <summary>A stretch [<see cref="StartMs"/>, <see cref="EndMs"/>) of an episode's audio, in milliseconds.</summary>
public readonly record struct SpanRange(long StartMs, long EndMs)
{
    /// <summary>
    /// The end of the last span: to the end of the audio, wherever that is (a container's stated duration can be short of
    /// the real one, and the last words must not fall off the end).
    /// </summary>
    public const long OpenEnd = long.MaxValue;

    public bool IsOpenEnded => EndMs == OpenEnd;
}

/// <summary>Where a span's family stands after one of its spans completed: how many of its spans are not completed yet.</summary>
public readonly record struct SpanFamily(long ParentId, long EpisodeId, int Remaining, bool ParentWaiting)
{
    /// <summary>Every span is in and the parent still waits: the transcript is stitched now.</summary>
    public bool Complete => Remaining == 0 && ParentWaiting;
}

/// <summary>
/// Spans: a long transcription split into child jobs, each a normal transcribe job (claimed, leased, retried, reaped on
/// its own) with its parent's id and its stretch of the audio. The parent waits as running with no lease and no holder,
/// so no reaper, stuck reset or start-up requeue touches it; it ends only with its family: completed when the last
/// span's result stitches the transcript, failed when a span fails for good, cancelled when any member is cancelled.
/// </summary>
public sealed partial class JobStore
{
    /// <summary>
    /// Turns the job held under <paramref name="token"/> into a split parent with <paramref name="spans"/> queued children
    /// (inside the caller's transaction). The holder's lease ends with it: the whole job is no longer anyone's. False when
    /// the job is not held under the token, or already is a span or split.
    /// </summary>
    internal bool Split(
        SqliteConnection connection,
        SqliteTransaction transaction,
        long jobId,
        string token,
        IReadOnlyList<SpanRange> spans,
        string? actor
    )
    {
        if (spans.Count < 2)
            throw new ArgumentException("a split has two spans or more", nameof(spans));
        var now = NowMs();
        long episodeId,
            maxAttempts;
        int priority;
        string? model;
        using (
            var split = Command(
                    connection,
                    transaction,
                    """
                    UPDATE jobs
                    SET spans = $count, lease_token = NULL, lease_expires_ms = NULL, claimed_by = NULL, progress_percent = 0, alive_ms = $now
                    WHERE id = $id AND lease_token = $token AND status = 'running' AND spans IS NULL AND parent_job_id IS NULL
                    RETURNING episode_id, priority, model, max_attempts;
                    """
                )
                .With("$count", spans.Count)
                .With("$now", now)
                .With("$id", jobId)
                .With("$token", token)
        )
        using (var reader = split.ExecuteReader())
        {
            if (!reader.Read())
                return false;
            (episodeId, priority, model, maxAttempts) = (reader.GetInt64(0), reader.GetInt32(1), reader.GetStringOrNull(2), reader.GetInt64(3));
        }
        // Spans of an earlier split of this job (reset or retried since) are all finished: only the new ones count.
        using (var old = Command(connection, transaction, "DELETE FROM jobs WHERE parent_job_id = $id;").With("$id", jobId))
            old.ExecuteNonQuery();
        AddHistory(connection, transaction, jobId, now, "split", actor, $"{spans.Count} spans");
        foreach (var span in spans)
        {
            using var insert = Command(
                    connection,
                    transaction,
                    """
                    INSERT INTO jobs (episode_id, job_type, priority, max_attempts, run_after_ms, created_ms, model, parent_job_id, span_start_ms, span_end_ms)
                    VALUES ($episode, 'transcribe', $priority, $max, $now, $now, $model, $parent, $start, $end)
                    RETURNING id;
                    """
                )
                .With("$episode", episodeId)
                .With("$priority", priority)
                .With("$max", maxAttempts)
                .With("$now", now)
                .With("$model", model)
                .With("$parent", jobId)
                .With("$start", span.StartMs)
                .With("$end", span.EndMs);
            var spanId = (long)insert.ExecuteScalar()!;
            AddHistory(connection, transaction, spanId, now, "queued", actor, $"span {span.StartMs}-{span.EndMs} ms of job {jobId}");
        }
        return true;
    }

    /// <summary>
    /// Completes a span held under <paramref name="token"/> and keeps its result (its transcript's JSON) for the stitch,
    /// inside the caller's transaction; <paramref name="family"/> then says whether every span of its parent is in.
    /// </summary>
    internal TransitionResult CompleteSpan(
        SqliteConnection connection,
        SqliteTransaction transaction,
        long jobId,
        string token,
        string resultJson,
        out SpanFamily family
    )
    {
        family = default;
        var result = Complete(connection, transaction, jobId, token, out var completed);
        if (result != TransitionResult.Done)
            return result;
        long parentId;
        using (
            var keep = Command(connection, transaction, "UPDATE jobs SET span_result = $result WHERE id = $id RETURNING parent_job_id;")
                .With("$result", resultJson)
                .With("$id", jobId)
        )
            parentId = keep.ExecuteScalar() is long parent ? parent : throw new InvalidOperationException($"job {jobId} is not a span");
        using var read = Command(
                connection,
                transaction,
                """
                SELECT (SELECT COUNT(*) FROM jobs WHERE parent_job_id = $parent AND status <> 'completed'),
                       EXISTS (SELECT 1 FROM jobs WHERE id = $parent AND status = 'running' AND spans IS NOT NULL);
                """
            )
            .With("$parent", parentId);
        using var reader = read.ExecuteReader();
        reader.Read();
        family = new SpanFamily(parentId, completed.EpisodeId, reader.GetInt32(0), reader.GetInt64(1) != 0);
        return TransitionResult.Done;
    }

    /// <summary>The completed spans of a split parent with their results, in time order.</summary>
    internal IReadOnlyList<(SpanRange Range, string Result)> SpanResults(SqliteConnection connection, SqliteTransaction transaction, long parentId)
    {
        using var read = Command(
                connection,
                transaction,
                """
                SELECT span_start_ms, span_end_ms, span_result FROM jobs
                WHERE parent_job_id = $parent AND status = 'completed' AND span_result IS NOT NULL
                ORDER BY span_start_ms;
                """
            )
            .With("$parent", parentId);
        var results = new List<(SpanRange, string)>();
        using var reader = read.ExecuteReader();
        while (reader.Read())
            results.Add((new SpanRange(reader.GetInt64(0), reader.GetInt64(1)), reader.GetString(2)));
        return results;
    }

    /// <summary>The split parent is done (its stitched transcript commits in the same transaction); false when it no longer waits.</summary>
    internal bool CompleteSplit(SqliteConnection connection, SqliteTransaction transaction, long parentId, string? actor)
    {
        var now = NowMs();
        using var complete = Command(
                connection,
                transaction,
                """
                UPDATE jobs SET status = 'completed', completed_ms = $now, progress_percent = 100, error_message = NULL
                WHERE id = $id AND status = 'running' AND spans IS NOT NULL
                RETURNING id;
                """
            )
            .With("$now", now)
            .With("$id", parentId);
        if (complete.ExecuteScalar() is null)
            return false;
        // The spans' results live on in the transcript: their copies are not kept twice.
        using (var clear = Command(connection, transaction, "UPDATE jobs SET span_result = NULL WHERE parent_job_id = $id;").With("$id", parentId))
            clear.ExecuteNonQuery();
        AddHistory(connection, transaction, parentId, now, "completed", actor, "stitched from its spans");
        return true;
    }

    /// <summary>
    /// Ends the family <paramref name="memberId"/> belongs to (it may be the parent or one of its spans), inside the
    /// caller's transaction: the waiting parent gets <paramref name="status"/> (failed, cancelled) and every unfinished
    /// span is cancelled, its lease revoked, so a late result of any of them is refused. Nothing for a job outside a split.
    /// </summary>
    internal void EndFamily(
        SqliteConnection connection,
        SqliteTransaction transaction,
        long memberId,
        string status,
        string? error,
        string? actor,
        long now
    )
    {
        long parentId;
        using (
            var find = Command(
                    connection,
                    transaction,
                    "SELECT COALESCE(parent_job_id, CASE WHEN spans IS NOT NULL THEN id END) FROM jobs WHERE id = $id;"
                )
                .With("$id", memberId)
        )
        {
            if (find.ExecuteScalar() is not long parent)
                return;
            parentId = parent;
        }
        using (
            var parent = Command(
                    connection,
                    transaction,
                    """
                    UPDATE jobs
                    SET status = $status, completed_ms = $now, error_message = COALESCE($error, error_message),
                        lease_token = NULL, lease_expires_ms = NULL, progress_percent = NULL
                    WHERE id = $id AND status IN ('queued', 'running')
                    RETURNING id;
                    """
                )
                .With("$status", status)
                .With("$now", now)
                .With("$error", error)
                .With("$id", parentId)
        )
        {
            if (parent.ExecuteScalar() is not null)
                AddHistory(connection, transaction, parentId, now, status, actor, $"its span {memberId} ended the split");
        }
        var cancelled = new List<long>();
        using (
            var spans = Command(
                    connection,
                    transaction,
                    """
                    UPDATE jobs
                    SET status = 'cancelled', completed_ms = $now, lease_token = NULL, lease_expires_ms = NULL, progress_percent = NULL
                    WHERE parent_job_id = $id AND status IN ('queued', 'running')
                    RETURNING id;
                    """
                )
                .With("$now", now)
                .With("$id", parentId)
        )
        using (var reader = spans.ExecuteReader())
            while (reader.Read())
                cancelled.Add(reader.GetInt64(0));
        foreach (var id in cancelled)
            AddHistory(connection, transaction, id, now, "cancelled", actor, $"its split (job {parentId}) ended");
        SettleEpisode(connection, transaction, parentId, now);
    }

    /// <summary>The unfinished spans of a parent that goes back to the queue whole (an admin reset) are cancelled.</summary>
    private void CancelSpansOf(SqliteConnection connection, SqliteTransaction transaction, long parentId, string? actor, long now)
    {
        using var spans = Command(
                connection,
                transaction,
                """
                UPDATE jobs
                SET status = 'cancelled', completed_ms = $now, lease_token = NULL, lease_expires_ms = NULL, progress_percent = NULL
                WHERE parent_job_id = $id AND status IN ('queued', 'running')
                RETURNING id;
                """
            )
            .With("$now", now)
            .With("$id", parentId);
        var cancelled = new List<long>();
        using (var reader = spans.ExecuteReader())
            while (reader.Read())
                cancelled.Add(reader.GetInt64(0));
        foreach (var id in cancelled)
            AddHistory(connection, transaction, id, now, "cancelled", actor, $"its parent job {parentId} was reset");
    }
}
