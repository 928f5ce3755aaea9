using Cast2md.Processing.Handlers;
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
            [JobType.Download] = new DownloadHandler(core, loggers.CreateLogger("download")),
            [JobType.TranscriptDownload] = new TranscriptDownloadHandler(core, loggers.CreateLogger("transcript")),
            [JobType.Transcribe] = new TranscribeHandler(core, options, loggers.CreateLogger("transcribe")),
        };
}
