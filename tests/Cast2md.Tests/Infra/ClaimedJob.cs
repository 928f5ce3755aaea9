using Cast2md.Processing;
using Cast2md.Processing.Handlers;
using Cast2md.Queue;
using Cast2md.Services;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cast2md.Tests.Infra;

/// <summary>Runs one queued publisher-transcript job as the local worker does: claim, handle, commit through the outcomes.</summary>
public static class ClaimedJob
{
    /// <summary>Claims the job and runs its handler; nothing is committed yet (for specs that step in before the commit).</summary>
    public static async Task<(JobLease Lease, JobResult Result)> HandleTranscriptDownloadAsync(
        Cast2mdCore core,
        string workerId = "spec-worker",
        TimeProvider? clock = null
    )
    {
        var lease = Claim(core, workerId);
        return (lease, await HandleAsync(core, lease, clock));
    }

    /// <summary>Claims, handles and commits the result — or, when the handler fails, the failure.</summary>
    public static async Task RunTranscriptDownloadAsync(Cast2mdCore core, TimeProvider? clock = null)
    {
        var lease = Claim(core, "spec-worker");
        try
        {
            core.Outcomes.Complete(lease.Job.Id, lease.Token, "spec-worker", await HandleAsync(core, lease, clock));
        }
        catch (JobFailedException ex)
        {
            core.Outcomes.Fail(lease.Job.Id, lease.Token, ex.Message, ex.IsPermanent, ex.EpisodeStatus);
        }
    }

    private static JobLease Claim(Cast2mdCore core, string workerId) =>
        core.Jobs.TryClaim(JobType.TranscriptDownload, workerId, TimeSpan.FromMinutes(1))
        ?? throw new InvalidOperationException("no publisher-transcript job is queued");

    private static Task<JobResult> HandleAsync(Cast2mdCore core, JobLease lease, TimeProvider? clock) =>
        new TranscriptDownloadHandler(core, NullLogger.Instance, clock).HandleAsync(lease, new Progress<double>(), CancellationToken.None);
}
