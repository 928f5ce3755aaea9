using Cast2md.Queue;
using Cast2md.Services;
using Cast2md.Settings;
using Microsoft.Extensions.Logging;

namespace Cast2md.Processing;

/// <summary>
/// The local workers of one data folder: downloads, publisher transcripts and one transcription worker.
/// `serve` runs it for its lifetime; `process --wait` runs it until its own jobs are done when no server is up.
/// </summary>
public sealed class WorkerPool
{
    private readonly List<JobWorker> _workers = [];

    public WorkerPool(Cast2mdCore core, WorkerPoolOptions options, ILoggerFactory loggers)
    {
        var settings = core.Settings;
        var downloads = options.Downloads ?? settings.GetInt(SettingDefinitions.MaxConcurrentDownloads);
        var transcripts = options.TranscriptDownloads ?? settings.GetInt(SettingDefinitions.MaxTranscriptDownloadWorkers);
        var logger = loggers.CreateLogger("workers");
        var handlers = JobHandlers.Create(core, options, loggers);
        void Add(JobType type, int count, string name)
        {
            for (var i = 1; i <= count; i++)
                _workers.Add(
                    new JobWorker(core.Jobs, handlers[type], $"{options.WorkerPrefix}:{name}-{i}", core.Signal, logger)
                    {
                        LeaseDuration = options.LeaseDuration,
                        IdlePoll = options.IdlePoll,
                        Outcomes = core.Outcomes,
                        ClaimsSpans = type == JobType.Transcribe,
                        Idle = type == JobType.Transcribe ? core.Idle : null,
                    }
                );
        }
        Add(JobType.Download, Math.Max(1, downloads), "download");
        Add(JobType.TranscriptDownload, Math.Max(1, transcripts), "transcript");
        if (options.Transcribe)
            Add(JobType.Transcribe, 1, "transcribe");
    }

    public IReadOnlyList<JobWorker> Workers => _workers;

    /// <summary>Runs every worker until cancelled; held jobs are released on the way out.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_workers.Select(w => Task.Run(() => w.RunAsync(cancellationToken), CancellationToken.None)));
}
