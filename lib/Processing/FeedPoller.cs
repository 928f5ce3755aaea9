using Cast2md.Services;
using Cast2md.Settings;
using Microsoft.Extensions.Logging;

namespace Cast2md.Processing;

/// <summary>Polls every feed every FEED_POLL_INTERVAL_MINUTES (read each round, so a settings change applies).</summary>
public static class FeedPoller
{
    public static async Task RunAsync(Cast2mdCore core, ILogger logger, TimeSpan firstDelay, CancellationToken cancellationToken)
    {
        var delay = firstDelay;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                var results = await core.FeedService.RefreshAllAsync(cancellationToken);
                foreach (var result in results)
                foreach (var warning in result.Warnings)
                    logger.LogWarning("feed {Feed}: {Warning}", result.FeedId, warning);
                foreach (var failed in results.Where(r => r.Error is not null))
                    logger.LogWarning("feed {Feed} could not be polled: {Error}", failed.FeedId, failed.Error);
                var found = results.Sum(r => r.NewEpisodes);
                if (found > 0)
                    logger.LogInformation("feed poll: {New} new episodes, {Queued} queued", found, results.Sum(r => r.QueuedEpisodes));
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "feed poll failed");
            }
            delay = TimeSpan.FromMinutes(Math.Max(1, core.Settings.GetInt(SettingDefinitions.FeedPollIntervalMinutes)));
        }
    }
}
