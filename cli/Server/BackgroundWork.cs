using Cast2md.Processing;
using Cast2md.Services;

namespace Cast2md.Cli.Server;

/// <summary>What `serve` does besides answering HTTP: clean-up, recovery, the local workers, feed polling and publisher-transcript retries.</summary>
internal static class BackgroundWork
{
    public const string WorkerPrefix = "local";

    public static Task StartAsync(Cast2mdCore core, ILoggerFactory loggers, CancellationToken stoppingToken)
    {
        var logger = loggers.CreateLogger("server");
        var now = DateTimeOffset.UtcNow;
        var purged = core.Layout.PurgeTrash(TimeSpan.FromDays(30), now) + core.Layout.PurgeTemp(TimeSpan.FromHours(24), now);
        if (purged > 0)
            logger.LogInformation("removed {Count} old trash and temporary entries", purged);

        // Jobs this server's workers held when the last run died (kill -9, power loss) go back to the queue now,
        // not after their leases expire. Others' leases (CLI runs, nodes) are left to expire on their own.
        var requeued = core.Jobs.RequeueAbandoned(WorkerPrefix + ":");
        if (requeued > 0)
            logger.LogInformation("requeued {Count} jobs the previous run left running", requeued);

        var pool = new WorkerPool(core, new WorkerPoolOptions
        {
            TranscriberExecutable = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell where the cast2md executable is"),
            WorkerPrefix = WorkerPrefix,
        }, loggers);
        return Task.WhenAll(
            pool.RunAsync(stoppingToken),
            FeedPoller.RunAsync(core, loggers.CreateLogger("feeds"), TimeSpan.FromSeconds(30), stoppingToken),
            // The original's hourly look for publisher transcripts that were not there yet (first round after 5 minutes).
            new TranscriptRetryScheduler(core, loggers.CreateLogger("transcript-retry"))
                .RunAsync(TimeSpan.FromMinutes(5), TimeSpan.FromHours(1), stoppingToken));
    }
}
