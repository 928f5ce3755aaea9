using Cast2md.Files;
using Cast2md.Queue;
using Cast2md.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cast2md.Services;

/// <summary>
/// The one owner of what happens when a job ends — completed with a result, failed, released, reset, cancelled,
/// retried, deleted — and of the episode change that goes with it. The local workers, the node endpoints, the CLI and
/// the admin endpoints all call this; none of them changes a job or an episode on its own.
/// <para>
/// A result commits in one SQLite transaction guarded by the lease (or by the rule for late results): the job's
/// completion, the episode's new transcript or audio path and status, and the jobs that follow. Its files were written
/// beforehand under a staging name (<c>tmp/results/{job}-{token}.*</c>) and are moved into place right after the commit;
/// a refused result deletes them. A crash between the two leaves a staged file that <see cref="Reconcile"/> adopts at
/// the next start. Completions of one data folder are serialised (commit and move together), so two results for the
/// same episode can never end with one's files under the other's metadata.
/// </para>
/// A stored transcript and a download or transcription failed for good add their notification to the outbox in the
/// same transaction (<see cref="Notifications.NotificationOutbox"/>).
/// Partials: <c>.Files</c> (staging and moving into place), <c>.Ends</c> (endings without a result), <c>.Reconcile</c>,
/// <c>.Spans</c> (a long transcription split over several workers and stitched).
/// </summary>
public sealed partial class JobOutcomes(
    JobStore jobs,
    QueueSignal signal,
    StorageLayout? layout = null,
    ILogger? logger = null,
    Notifications.NotificationOutbox? notifications = null
)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private readonly Lock _gate = jobs.Database.Writer;

    public JobStore Jobs => jobs;

    /// <summary>
    /// Commits <paramref name="result"/> for the job held under <paramref name="token"/>. With <paramref name="acceptLate"/>
    /// a result whose lease was lost is still taken while it can be the episode's latest (see
    /// <see cref="JobStore.CompleteLate"/>). Anything but <see cref="TransitionResult.Done"/> leaves every row as it was
    /// and deletes the staged files. A failure to commit (database busy, disk full) throws with nothing changed, so the
    /// caller may send the same result again.
    /// </summary>
    public Completion Complete(long jobId, string token, string workerId, JobResult result, bool acceptLate = false)
    {
        if (result.SplitInto is { } spans)
            return new Completion(Split(jobId, token, spans, workerId), Late: false);
        if (result.SpanTranscript is { } part)
            return CompleteSpan(
                jobId,
                token,
                workerId,
                part,
                result.StageStitched ?? throw new ArgumentException("a span's result says how to stage the stitched transcript", nameof(result))
            );
        TransitionResult outcome;
        var late = false;
        var followed = false;
        string? replaced = null;
        try
        {
            lock (_gate)
            {
                using (var writing = jobs.Database.Writing())
                using (var transaction = writing.Connection.BeginTransaction(deferred: false))
                {
                    var connection = writing.Connection;
                    outcome = jobs.Complete(connection, transaction, jobId, token, out var completed);
                    if (outcome == TransitionResult.LeaseLost && acceptLate)
                    {
                        outcome = jobs.CompleteLate(connection, transaction, jobId, token, workerId, out completed);
                        late = outcome == TransitionResult.Done;
                    }
                    if (outcome == TransitionResult.Done)
                    {
                        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                        var (episodeId, jobType) = completed;
                        if (result.Episode is { } change)
                        {
                            replaced = ApplyEpisodeChange(connection, transaction, episodeId, change, now);
                            if (change.TranscriptPath is not null)
                                IndexTranscript(connection, transaction, episodeId, result.Files);
                        }
                        foreach (var type in result.FollowUps)
                        {
                            var next = jobs.Enqueue(connection, transaction, episodeId, type, QueueService.AutomaticPriority, actor: workerId);
                            if (!next.Created)
                                jobs.RunNow(connection, transaction, next.Job.Id); // it waited for this result
                            followed = true;
                        }
                        JobStore.SettleEpisode(connection, transaction, episodeId, jobType, "completed", null, false, now);
                        // The one place every transcript arrives (local worker, node, publisher): its notification commits with it.
                        if (result.Episode?.TranscriptPath is not null)
                            notifications?.TranscriptCompleted(connection, transaction, episodeId, workerId);
                        transaction.Commit();
                    }
                }

                if (outcome == TransitionResult.Done)
                    Place(result.Files, replaced);
            }
        }
        catch
        {
            Discard(result.Files);
            throw;
        }

        if (outcome != TransitionResult.Done)
            Discard(result.Files);
        if (followed)
            signal.Notify();
        return new Completion(outcome, late);
    }

    /// <summary>
    /// A holder found the server's copy of the audio gone: the job goes back without using an attempt and waits, the
    /// episode loses the audio path and its download is queued (whose completion lets the job run again) — all in one
    /// transaction. False when the job is not held under the token.
    /// </summary>
    public bool AudioLost(long jobId, string token, string reason)
    {
        lock (_gate)
        {
            using var connection = jobs.Database.Connect();
            using var transaction = connection.BeginTransaction(deferred: false);
            if (jobs.ReleaseUntil(connection, transaction, jobId, token, DateTimeOffset.UtcNow.AddDays(1), reason) is not long episodeId)
                return false;
            bool hasUrl;
            using (
                var episode = connection
                    .Command(
                        "UPDATE episodes SET audio_path = NULL, status = 'needs_audio', error_message = $reason, updated_ms = $now WHERE id = $id RETURNING audio_url IS NOT NULL;",
                        transaction
                    )
                    .With("$reason", reason)
                    .With("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())
                    .With("$id", episodeId)
            )
                hasUrl = episode.ExecuteScalar() is long flag && flag != 0;
            if (hasUrl)
                jobs.Enqueue(connection, transaction, episodeId, JobType.Download, QueueService.AutomaticPriority, actor: "audio-lost");
            transaction.Commit();
        }
        signal.Notify();
        return true;
    }

    /// <summary>
    /// Runs <paramref name="work"/> while no result of this data folder is committed or moved into place: a feed delete
    /// moves files to the trash and then deletes their rows, and a completion in between would leave a file no row points to.
    /// </summary>
    public T Exclusive<T>(Func<T> work)
    {
        lock (_gate)
            return work();
    }

    /// <summary>
    /// Puts the new transcript's segments into the search index in the commit's transaction, read from its staged JSON
    /// sidecar; a result without one (or an unreadable one) leaves the episode with no segments rather than the old ones.
    /// </summary>
    private static void IndexTranscript(SqliteConnection connection, SqliteTransaction transaction, long episodeId, IReadOnlyList<StagedFile> files)
    {
        var sidecar = files.FirstOrDefault(f => f.FinalPath.EndsWith(".json", StringComparison.Ordinal));
        var segments = sidecar is null ? null : Search.SearchIndex.ReadSidecar(sidecar.StagedPath);
        Search.SearchIndex.Replace(connection, transaction, episodeId, segments ?? []);
    }

    /// <summary>Applies a result's episode change; returns the transcript path it replaced when that was another file.</summary>
    private static string? ApplyEpisodeChange(
        SqliteConnection connection,
        SqliteTransaction transaction,
        long episodeId,
        EpisodeChange change,
        long now
    )
    {
        string? previous = null;
        if (change.TranscriptPath is not null)
        {
            using var read = connection.Command("SELECT transcript_path FROM episodes WHERE id = $id;", transaction).With("$id", episodeId);
            previous = read.ExecuteScalar() as string;
        }
        using var update = connection
            .Command(
                """
                UPDATE episodes
                SET transcript_path = COALESCE($transcript, transcript_path),
                    transcript_source = CASE WHEN $transcript IS NULL THEN transcript_source ELSE $source END,
                    transcript_model = CASE WHEN $transcript IS NULL THEN transcript_model ELSE $model END,
                    transcript_language = COALESCE($language, transcript_language),
                    audio_path = CASE WHEN $clearAudio THEN NULL ELSE COALESCE($audio, audio_path) END,
                    status = CASE WHEN $transcript IS NOT NULL THEN 'completed' WHEN $audio IS NOT NULL THEN 'audio_ready' ELSE COALESCE($status, status) END,
                    error_message = $reason,
                    permanent_failure = 0,
                    updated_ms = $now
                WHERE id = $id;
                """,
                transaction
            )
            .With("$transcript", change.TranscriptPath)
            .With("$source", change.TranscriptSource)
            .With("$model", change.TranscriptModel)
            .With("$language", change.TranscriptLanguage)
            .With("$audio", change.AudioPath)
            .With("$clearAudio", change.ClearAudio ? 1 : 0)
            .With("$status", change.Status is { } status ? Library.EpisodeStatuses.ToName(status) : null)
            .With("$reason", change.Reason)
            .With("$now", now)
            .With("$id", episodeId);
        update.ExecuteNonQuery();
        return previous is not null && previous != change.TranscriptPath ? previous : null;
    }
}

/// <summary>How a completion went, and whether it was a late result taken after the lease was lost.</summary>
public readonly record struct Completion(TransitionResult Result, bool Late);
