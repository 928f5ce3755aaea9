using System.Text.Json;
using Cast2md.Json;
using Cast2md.Settings;
using Cast2md.Storage;
using Microsoft.Data.Sqlite;

namespace Cast2md.Notifications;

/// <summary>
/// The table of notifications still to send. Events are added inside the caller's transaction (the outcome they
/// report), one row per configured target; <see cref="NotificationSender"/> claims due rows, and a row is marked sent
/// only after a 2xx answer. Partials: <c>.Events</c> (what each event says), <c>.Claims</c> (the sender's side).
/// </summary>
public sealed partial class NotificationOutbox(Database database, SettingsStore settings, TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public SettingsStore Settings => settings;

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// Adds <paramref name="notification"/> for every configured target inside the caller's transaction. With
    /// <paramref name="dedupKey"/> an event already recorded under the same key adds nothing. Returns the rows added.
    /// </summary>
    internal int Add(SqliteConnection connection, SqliteTransaction transaction, Notification notification, string? dedupKey = null)
    {
        var targets = NotificationTargets.Configured(settings);
        if (targets.Count == 0)
            return 0;
        var payload = JsonSerializer.Serialize(notification, Cast2mdJsonContext.Default.Notification);
        var now = NowMs();
        var added = 0;
        foreach (var target in targets)
        {
            using var insert = connection
                .Command(
                    """
                    INSERT OR IGNORE INTO notification_outbox (target, event, payload, dedup_key, created_ms, next_attempt_ms)
                    VALUES ($target, $event, $payload, $key, $now, $now);
                    """,
                    transaction
                )
                .With("$target", target)
                .With("$event", notification.Event)
                .With("$payload", payload)
                .With("$key", dedupKey is null ? null : target + ":" + dedupKey)
                .With("$now", now);
            added += insert.ExecuteNonQuery();
        }
        return added;
    }

    /// <summary>Adds <paramref name="notification"/> in a transaction of its own.</summary>
    public int Add(Notification notification, string? dedupKey = null)
    {
        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction(deferred: false);
        var added = Add(connection, transaction, notification, dedupKey);
        transaction.Commit();
        return added;
    }
}
