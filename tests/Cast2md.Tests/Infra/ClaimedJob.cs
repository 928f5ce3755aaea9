using Cast2md.Processing;
using Cast2md.Processing.Handlers;
using Cast2md.Queue;
using Cast2md.Services;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cast2md.Tests.Infra;

/// <summary>Runs one queued job as the local worker does: claim, handle, then commit the result (or the failure) through the outcomes.</summary>
public static class ClaimedJob
{
    public static async Task RunTranscriptDownloadAsync(Cast2mdCore core, TimeProvider? clock = null)
    {
        var lease = core.Jobs.TryClaim(JobType.TranscriptDownload, "spec-worker", TimeSpan.FromMinutes(1))
            ?? throw new InvalidOperationException("no publisher-transcript job is queued");
        try
        {
            var result = await new TranscriptDownloadHandler(core, NullLogger.Instance, clock).HandleAsync(lease, new Progress<double>(), CancellationToken.None);
            core.Outcomes.Complete(lease.Job.Id, lease.Token, "spec-worker", result);
        }
        catch (JobFailedException ex)
        {
            core.Outcomes.Fail(lease.Job.Id, lease.Token, ex.Message, ex.IsPermanent, ex.EpisodeStatus);
        }
    }
}
