using Cast2md.Queue;

namespace Cast2md.Services;

/// <summary>
/// Endings without a result. Each is one guarded transaction in the queue that also settles the episode (see
/// <c>JobStore.SettleEpisode</c>), so no ending can leave an episode in <c>downloading</c> or <c>transcribing</c>;
/// whatever makes a job runnable again wakes the waiting workers and nodes.
/// </summary>
public sealed partial class JobOutcomes
{
    /// <summary>
    /// A failed attempt of the holder: retried with back-off, or failed for good (permanent, or attempts used up). A
    /// download or transcription failed for good adds its notification in the same transaction (the queue's
    /// failed-for-good hook, which the reaper and the stuck reset run too).
    /// </summary>
    public TransitionResult Fail(long jobId, string token, string error, bool permanent = false, Library.EpisodeStatus? episodeStatus = null) =>
        Wake(jobs.Fail(jobId, token, error, permanent, episodeStatus));

    /// <summary>The holder gives the job back untouched (stopping, or a fault of its own): queued at once, the attempt not counted.</summary>
    public TransitionResult Release(long jobId, string token, string? reason = null) => Wake(jobs.Release(jobId, token, reason));

    /// <summary>Admin reset of a running job, whoever holds it; its lease dies.</summary>
    public TransitionResult Reset(long jobId, string actor) => Wake(jobs.Reset(jobId, actor));

    /// <summary>Admin cancel of a queued or running job; a late result of it is never taken afterwards.</summary>
    public TransitionResult Cancel(long jobId, string actor) => jobs.Cancel(jobId, actor);

    /// <summary>Admin retry of a failed or cancelled job, its attempts reset.</summary>
    public TransitionResult Retry(long jobId, string actor) => Wake(jobs.Retry(jobId, actor));

    /// <summary>
    /// Running jobs whose holder has been silent since before <paramref name="silentSince"/> are requeued (or failed at
    /// their last attempt, notified as the holder's own failure is).
    /// </summary>
    public (int Requeued, int Failed) ResetStuck(DateTimeOffset silentSince, string actor)
    {
        var counts = jobs.ResetStuck(silentSince, actor);
        if (counts.Requeued > 0)
            signal.Notify();
        return counts;
    }

    /// <summary>Deletes a job in any state; its holder's lease dies with it and its id is never handed out again.</summary>
    public bool Delete(long jobId) => jobs.ForceDelete(jobId);

    /// <summary>Every job a worker (a removed node) holds goes back to the queue, the attempts not counted.</summary>
    public IReadOnlyList<long> ReleaseAllHeldBy(string workerId, string actor, string reason)
    {
        var released = jobs.ReleaseAllHeldBy(workerId, actor, reason);
        if (released.Count > 0)
            signal.Notify();
        return released;
    }

    /// <summary>Jobs whose holder stopped renewing go back to the queue (or fail at their last attempt, notified as the holder's own failure is).</summary>
    public int ReapExpiredLeases()
    {
        var reaped = jobs.ReapExpiredLeases();
        if (reaped > 0)
            signal.Notify();
        return reaped;
    }

    private TransitionResult Wake(TransitionResult result)
    {
        if (result == TransitionResult.Done)
            signal.Notify();
        return result;
    }
}
