using Cast2md.Processing;
using Cast2md.Services;

namespace Cast2md.Cli.Server;

/// <summary>What `serve` does besides answering HTTP: clean-up, recovery, the local workers, feed polling, publisher-transcript retries and sending notifications.</summary>
internal static class BackgroundWork
{
    public const string WorkerPrefix = "local";

    /// <param name="notifications">How the notification outbox is drained (specs shorten the back-off); null: the defaults.</param>
    public static Task StartAsync(
        Cast2mdCore core,
        ILoggerFactory loggers,
        CancellationToken stoppingToken,
        Notifications.NotificationOptions? notifications = null
    )
    {
        var logger = loggers.CreateLogger("server");
        // First what a crash left between a commit and its files (before the temp purge, which would delete old staged results).
        var reconciled = core.Outcomes.Reconcile();
        if (reconciled != default)
            logger.LogInformation(
                "start-up check: {Adopted} committed results moved into place, {Removed} uncommitted ones removed, {Requeued} missing transcripts queued again",
                reconciled.Adopted,
                reconciled.Removed,
                reconciled.Requeued
            );
        var now = DateTimeOffset.UtcNow;
        var purged = core.Layout.PurgeTrash(TimeSpan.FromDays(30), now) + core.Layout.PurgeTemp(TimeSpan.FromHours(24), now);
        if (purged > 0)
            logger.LogInformation("removed {Count} old trash and temporary entries", purged);

        // Jobs this server's workers held when the last run died (kill -9, power loss) go back to the queue now,
        // not after their leases expire. Others' leases (CLI runs, nodes) are left to expire on their own.
        var requeued = core.Jobs.RequeueAbandoned(WorkerPrefix + ":");
        if (requeued > 0)
            logger.LogInformation("requeued {Count} jobs the previous run left running", requeued);

        var pool = new WorkerPool(
            core,
            new WorkerPoolOptions
            {
                TranscriberExecutable = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell where the cast2md executable is"),
                WorkerPrefix = WorkerPrefix,
                Transcribe = core.Settings.GetBool(Settings.SettingDefinitions.LocalTranscriptionEnabled),
            },
            loggers
        );
        return Task.WhenAll(
            pool.RunAsync(stoppingToken),
            FeedPoller.RunAsync(core, loggers.CreateLogger("feeds"), TimeSpan.FromSeconds(30), stoppingToken),
            // The original's hourly look for publisher transcripts that were not there yet (first round after 5 minutes).
            new TranscriptRetryScheduler(core, loggers.CreateLogger("transcript-retry")).RunAsync(
                TimeSpan.FromMinutes(5),
                TimeSpan.FromHours(1),
                stoppingToken
            ),
            NodeHousekeepingAsync(core, loggers.CreateLogger("nodes"), stoppingToken),
            new Notifications.NotificationDelivery(
                core.Notifications,
                core.NotificationSender,
                loggers.CreateLogger("notifications"),
                notifications
            ).RunAsync(stoppingToken)
        );
    }

    /// <summary>
    /// Every 30 s the leases of silent nodes run out (their jobs go back to the queue even when nobody is claiming) and
    /// nodes that went offline are notified;
    /// once an hour nodes silent for a day that hold no job are removed, as the original did at start-up.
    /// </summary>
    private static async Task NodeHousekeepingAsync(Cast2mdCore core, ILogger logger, CancellationToken stoppingToken)
    {
        var lastCleanup = DateTimeOffset.MinValue;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(30));
        do
        {
            try
            {
                var reclaimed = core.Outcomes.ReapExpiredLeases();
                if (reclaimed > 0)
                    logger.LogInformation("took back {Count} jobs whose worker stopped reporting", reclaimed);
                // Offline is derived from the last heartbeat, never stored: each round notices the nodes that crossed the line.
                core.Notifications.NodesOffline(TimeSpan.FromSeconds(core.Settings.GetInt(Settings.SettingDefinitions.NodeHeartbeatTimeoutSeconds)));
                if (DateTimeOffset.UtcNow - lastCleanup > TimeSpan.FromHours(1))
                {
                    lastCleanup = DateTimeOffset.UtcNow;
                    var deleted = Services.NodeCleanup.DeleteStale(core, TimeSpan.FromHours(24));
                    if (deleted > 0)
                        logger.LogInformation("removed {Count} nodes silent for more than 24 hours", deleted);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "node housekeeping failed; trying again in 30 s");
            }
        } while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
