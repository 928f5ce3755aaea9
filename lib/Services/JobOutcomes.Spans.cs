using System.Text.Json;
using Cast2md.Json;
using Cast2md.Queue;
using Cast2md.Transcription;
using Cast2md.Transcripts;

namespace Cast2md.Services;

public sealed partial class JobOutcomes
{
    /// <summary>
    /// The transcription held under <paramref name="token"/> is split into <paramref name="spans"/>, queued for idle
    /// workers; it waits (running, without a lease) until its last span stitches the transcript. One transaction guarded
    /// by the holder's lease; <see cref="TransitionResult.LeaseLost"/> when it is no longer held (nothing changes then).
    /// </summary>
    public TransitionResult Split(long jobId, string token, IReadOnlyList<SpanRange> spans, string workerId)
    {
        bool split;
        lock (_gate)
        {
            using var writing = jobs.Database.Writing();
            using var transaction = writing.Connection.BeginTransaction(deferred: false);
            split = jobs.Split(writing.Connection, transaction, jobId, token, spans, workerId);
            if (split)
                transaction.Commit();
        }
        if (!split)
            return TransitionResult.LeaseLost;
        signal.Notify();
        return TransitionResult.Done;
    }

    /// <summary>
    /// Commits a span's transcript (times absolute) under its lease. When it is the last span of its split to come in,
    /// the same transaction stitches every span's transcript into the episode's (see <see cref="TranscriptSpans.Stitch"/>),
    /// staged by <paramref name="stageStitched"/> under this span's staging names, completes the parent and stores the
    /// transcript as any result is: episode, search index, notification — all or nothing, and only while this span's
    /// lease holds. A span whose lease is gone (reclaimed, cancelled) is refused and changes nothing; a late span result
    /// is never taken, since its replacement may already be running.
    /// </summary>
    public Completion CompleteSpan(long jobId, string token, string workerId, Transcript transcript, Func<Transcript, JobResult> stageStitched)
    {
        TransitionResult outcome;
        JobResult? stitched = null;
        string? replaced = null;
        try
        {
            lock (_gate)
            {
                using (var writing = jobs.Database.Writing())
                using (var transaction = writing.Connection.BeginTransaction(deferred: false))
                {
                    var connection = writing.Connection;
                    var json = JsonSerializer.Serialize(TranscriptJsonDocument.From(transcript), Cast2mdJsonContext.Default.TranscriptJsonDocument);
                    outcome = jobs.CompleteSpan(connection, transaction, jobId, token, json, out var family);
                    if (outcome == TransitionResult.Done && family.Complete)
                    {
                        var parts = jobs.SpanResults(connection, transaction, family.ParentId)
                            .Select(r =>
                                (r.Range, JsonSerializer.Deserialize(r.Result, Cast2mdJsonContext.Default.TranscriptJsonDocument)!.ToTranscript())
                            )
                            .ToList();
                        stitched = stageStitched(TranscriptSpans.Stitch(parts));
                        if (!jobs.CompleteSplit(connection, transaction, family.ParentId, workerId))
                            throw new InvalidOperationException($"the split job {family.ParentId} stopped waiting inside its own transaction");
                        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                        if (stitched.Episode is { } change)
                        {
                            replaced = ApplyEpisodeChange(connection, transaction, family.EpisodeId, change, now);
                            if (change.TranscriptPath is not null)
                                IndexTranscript(connection, transaction, family.EpisodeId, stitched.Files);
                        }
                        JobStore.SettleEpisode(connection, transaction, family.EpisodeId, JobType.Transcribe.ToName(), "completed", null, false, now);
                        if (stitched.Episode?.TranscriptPath is not null)
                            notifications?.TranscriptCompleted(connection, transaction, family.EpisodeId, workerId);
                    }
                    if (outcome == TransitionResult.Done)
                        transaction.Commit();
                }

                if (outcome == TransitionResult.Done && stitched is not null)
                    Place(stitched.Files, replaced);
            }
        }
        catch
        {
            if (stitched is not null)
                Discard(stitched.Files);
            throw;
        }
        return new Completion(outcome, Late: false);
    }
}
