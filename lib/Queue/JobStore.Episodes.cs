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
        using var settle = connection.Command(
            """
            UPDATE episodes
            SET status = CASE
                    WHEN j.status = 'running' THEN CASE j.job_type WHEN 'download' THEN 'downloading' ELSE 'transcribing' END
                    WHEN j.status = 'failed' AND episodes.transcript_path IS NULL THEN 'failed'
                    WHEN episodes.transcript_path IS NOT NULL THEN 'completed'
                    WHEN episodes.audio_path IS NOT NULL THEN 'audio_ready'
                    ELSE 'needs_audio' END,
                error_message = CASE WHEN j.status IN ('failed', 'queued') AND j.error_message IS NOT NULL THEN j.error_message
                                     WHEN j.status = 'running' THEN episodes.error_message ELSE NULL END,
                permanent_failure = CASE WHEN j.status = 'failed' AND episodes.transcript_path IS NULL THEN j.permanent_failure ELSE 0 END,
                updated_ms = $now
            FROM (SELECT episode_id, job_type, status, error_message, permanent_failure FROM jobs WHERE id = $job) AS j
            WHERE episodes.id = j.episode_id AND j.job_type IN ('download', 'transcribe')
              AND (j.status = 'running' OR episodes.status = CASE j.job_type WHEN 'download' THEN 'downloading' ELSE 'transcribing' END);
            """, transaction).With("$now", now).With("$job", jobId);
        settle.ExecuteNonQuery();
    }

    /// <summary>
    /// For a job that is gone (deleted): the episode it was working on goes back to what its files say.
    /// </summary>
    private static void SettleEpisodeOf(SqliteConnection connection, SqliteTransaction transaction, long episodeId, long now)
    {
        using var settle = connection.Command(
            """
            UPDATE episodes
            SET status = CASE WHEN transcript_path IS NOT NULL THEN 'completed' WHEN audio_path IS NOT NULL THEN 'audio_ready' ELSE 'needs_audio' END,
                updated_ms = $now
            WHERE id = $episode AND status IN ('downloading', 'transcribing')
              AND NOT EXISTS (SELECT 1 FROM jobs WHERE episode_id = $episode AND status = 'running' AND job_type IN ('download', 'transcribe'));
            """, transaction).With("$now", now).With("$episode", episodeId);
        settle.ExecuteNonQuery();
    }
}
