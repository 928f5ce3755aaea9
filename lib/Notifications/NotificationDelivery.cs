using System.Text.Json;
using Cast2md.Json;
using Microsoft.Extensions.Logging;

namespace Cast2md.Notifications;

/// <summary>
/// The sender loop of <c>serve</c>: claims due outbox rows, sends each, and marks it sent after a 2xx. A failed attempt
/// waits (<see cref="NotificationOptions.RetryBase"/>, doubling, capped) and a row still undelivered after
/// <see cref="NotificationOptions.MaxAge"/> is dropped with a log line. Cancellation stops it between and during sends;
/// a send cut short stays claimed until the claim runs out and is then sent by the next run.
/// </summary>
public sealed class NotificationDelivery(
    NotificationOutbox outbox,
    NotificationSender sender,
    ILogger logger,
    NotificationOptions? options = null,
    TimeProvider? timeProvider = null
)
{
    private readonly NotificationOptions _options = options ?? new NotificationOptions();
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public NotificationOptions Options => _options;

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var lastPrune = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DeliverDueAsync(stoppingToken);
                if (_time.GetUtcNow() - lastPrune > TimeSpan.FromHours(1))
                {
                    lastPrune = _time.GetUtcNow();
                    outbox.PruneSent(lastPrune - _options.KeepSent);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "sending notifications failed; trying again shortly");
            }
            try
            {
                await Task.Delay(_options.PollInterval, _time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One round: every due row is claimed and sent once. Returns how many were delivered.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var delivered = 0;
        foreach (var entry in outbox.Claim(50, _options.ClaimDuration))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Read(entry) is not { } notification)
            {
                outbox.Drop(entry.Id);
                logger.LogWarning("dropped outbox row {Id}: its payload is not a notification", entry.Id);
                continue;
            }
            var error = await sender.SendAsync(entry.Target, notification, cancellationToken);
            if (error is null)
            {
                outbox.MarkSent(entry.Id);
                delivered++;
                continue;
            }
            var now = _time.GetUtcNow();
            if (now - entry.Created >= _options.MaxAge)
            {
                outbox.Drop(entry.Id);
                logger.LogWarning(
                    "dropped the {Event} notification for {Target} after {Attempts} attempts since {Created:u}: {Error}",
                    notification.Event,
                    entry.Target,
                    entry.Attempts + 1,
                    entry.Created,
                    error
                );
                continue;
            }
            var delay = RetryDelay(entry.Attempts + 1);
            outbox.Retry(entry.Id, now + delay, error);
            logger.LogInformation("{Target} notification not delivered ({Error}); next attempt in {Delay}", entry.Target, error, delay);
        }
        return delivered;
    }

    private static Notification? Read(OutboxEntry entry)
    {
        try
        {
            return JsonSerializer.Deserialize(entry.Payload, Cast2mdJsonContext.Default.Notification);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>RetryBase · 2^(failures − 1), at most MaxRetryDelay.</summary>
    public TimeSpan RetryDelay(int failures)
    {
        var factor = Math.Pow(2, Math.Clamp(failures - 1, 0, 30));
        var delay = TimeSpan.FromMilliseconds(Math.Min(_options.RetryBase.TotalMilliseconds * factor, _options.MaxRetryDelay.TotalMilliseconds));
        return delay;
    }

    /// <summary>Sends a test notification to every configured target now (not through the outbox); each target's error or null.</summary>
    public async Task<IReadOnlyList<(string Target, string? Error)>> TestAsync(CancellationToken cancellationToken)
    {
        var notification = new Notification(
            NotificationEvents.Test,
            "cast2md test notification",
            "Notifications from cast2md reach this target.",
            _time.GetUtcNow()
        );
        var results = new List<(string, string?)>();
        foreach (var target in NotificationTargets.Configured(outbox.Settings))
            results.Add((target, await sender.SendAsync(target, notification, cancellationToken)));
        return results;
    }
}
