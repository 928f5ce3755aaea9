using Cast2md.Queue;
using Cast2md.Services;
using Microsoft.Extensions.Logging;

namespace Cast2md.Processing;

/// <summary>The handler of each job type for a data folder.</summary>
internal static class JobHandlers
{
    public static IReadOnlyDictionary<JobType, IJobHandler> Create(Cast2mdCore core, WorkerPoolOptions options, ILoggerFactory loggers) =>
        new Dictionary<JobType, IJobHandler>
        {
            [JobType.Download] = new PendingHandler(JobType.Download),
            [JobType.TranscriptDownload] = new PendingHandler(JobType.TranscriptDownload),
            [JobType.Transcribe] = new PendingHandler(JobType.Transcribe),
        };

    // Placeholder until the handlers land (same session); fails transiently so nothing is lost.
    private sealed class PendingHandler(JobType type) : IJobHandler
    {
        public JobType Type => type;

        public Task HandleAsync(Job job, IProgress<double> progress, CancellationToken cancellationToken) =>
            throw new JobFailedException($"{type.ToName()} jobs are not implemented yet", isPermanent: false);
    }
}
