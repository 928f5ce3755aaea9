using Cast2md.Storage;
using Microsoft.Data.Sqlite;

namespace Cast2md.Queue;

public sealed partial class JobStore
{
    /// <summary>
    /// Keeps an episode in step with the job that works on it, inside the job's own transaction: a claim marks it
    /// <c>downloading</c> or <c>transcribing</c>; when the job stops without a result (failed, retried, released,
    /// reset, cancelled, reclaimed, deleted) it goes back to what its files say — <c>completed</c> with a transcript,
    /// <c>audio_ready</c> with audio, else <c>needs_audio</c> — or <c>failed</c> when the job failed for good and left
    /// no transcript. Every transition calls this, so no caller can leave an episode stuck in <c>transcribing</c>.
    /// </summary>
    internal static void SettleEpisode(SqliteConnection connection, SqliteTransaction transaction, long jobId, long now)
    {
        long episodeId;
        string type,
            status;
        string? error;
        long permanent;
        bool familyWaiting;
        using (
            var read = connection
                .Command(
                    """
                    SELECT episode_id, job_type, status, error_message, permanent_failure,
                           EXISTS (SELECT 1 FROM jobs parent WHERE parent.id = jobs.parent_job_id AND parent.status = 'running')
                    FROM jobs WHERE id = $job;
                    """,
                    transaction
                )
                .With("$job", jobId)
        )
        using (var reader = read.ExecuteReader())
        {
            if (!reader.Read())
                return;
            (episodeId, type, status, error, permanent) = (
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetStringOrNull(3),
                reader.GetInt64(4)
            );
            familyWaiting = reader.GetInt64(5) != 0;
        }
        // A span that stops while its split still waits (requeued, retried, released) leaves the episode transcribing:
        // the split's own end settles it.
        if (familyWaiting && status != "running")
            return;
        SettleEpisode(connection, transaction, episodeId, type, status, error, permanent != 0, now);
    }

    /// <summary>The same for a job whose row the caller has just read or written (no second read).</summary>
    internal static void SettleEpisode(
        SqliteConnection connection,
        SqliteTransaction transaction,
        long episodeId,
        string jobType,
        string jobStatus,
        string? jobError,
        bool jobPermanent,
        long now
    )
    {
        if (jobType is not ("download" or "transcribe"))
            return;
        // Each statement is a primary-key update of one episode row with the job's values as parameters.
        using var settle = connection
            .Command(
                """
                UPDATE episodes
                SET status = CASE
                        WHEN $status = 'running' THEN $working
                        WHEN $status = 'failed' AND transcript_path IS NULL THEN 'failed'
                        WHEN transcript_path IS NOT NULL THEN 'completed'
                        WHEN audio_path IS NOT NULL THEN 'audio_ready'
                        ELSE 'needs_audio' END,
                    error_message = CASE WHEN $status IN ('failed', 'queued') AND $error IS NOT NULL THEN $error
                                         WHEN $status = 'running' THEN error_message ELSE NULL END,
                    permanent_failure = CASE WHEN $status = 'failed' AND transcript_path IS NULL THEN $permanent ELSE 0 END,
                    updated_ms = $now
                WHERE id = $episode AND ($status = 'running' OR status = $working);
                """,
                transaction
            )
            .With("$status", jobStatus)
            .With("$working", jobType == "download" ? "downloading" : "transcribing")
            .With("$error", jobError)
            .With("$permanent", jobPermanent ? 1 : 0)
            .With("$now", now)
            .With("$episode", episodeId);
        settle.ExecuteNonQuery();
    }

    /// <summary>
    /// For a job that is gone (deleted): the episode it was working on goes back to what its files say.
    /// </summary>
    private static void SettleEpisodeOf(SqliteConnection connection, SqliteTransaction transaction, long episodeId, long now)
    {
        using var settle = connection
            .Command(
                """
                UPDATE episodes
                SET status = CASE WHEN transcript_path IS NOT NULL THEN 'completed' WHEN audio_path IS NOT NULL THEN 'audio_ready' ELSE 'needs_audio' END,
                    updated_ms = $now
                WHERE id = $episode AND status IN ('downloading', 'transcribing')
                  AND NOT EXISTS (SELECT 1 FROM jobs WHERE episode_id = $episode AND status = 'running' AND job_type IN ('download', 'transcribe'));
                """,
                transaction
            )
            .With("$now", now)
            .With("$episode", episodeId);
        settle.ExecuteNonQuery();
    }
}
