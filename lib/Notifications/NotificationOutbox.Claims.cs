using Cast2md.Storage;

namespace Cast2md.Notifications;

/// <summary>An outbox row a sender claimed.</summary>
public sealed record OutboxEntry(long Id, string Target, string Payload, int Attempts, DateTimeOffset Created);

public sealed partial class NotificationOutbox
{
    /// <summary>
    /// Claims up to <paramref name="max"/> due, unsent rows for <paramref name="claimFor"/>, in one statement: two
    /// senders on the same file never get the same row while a claim lasts.
    /// </summary>
    public IReadOnlyList<OutboxEntry> Claim(int max, TimeSpan claimFor)
    {
        var now = NowMs();
        using var connection = database.Connect();
        using var claim = connection
            .Command(
                """
                UPDATE notification_outbox SET claimed_until_ms = $until
                WHERE id IN (SELECT id FROM notification_outbox
                             WHERE sent_ms IS NULL AND next_attempt_ms <= $now AND (claimed_until_ms IS NULL OR claimed_until_ms <= $now)
                             ORDER BY id LIMIT $max)
                RETURNING id, target, payload, attempts, created_ms;
                """
            )
            .With("$until", now + (long)claimFor.TotalMilliseconds)
            .With("$now", now)
            .With("$max", max);
        var claimed = new List<OutboxEntry>();
        using var reader = claim.ExecuteReader();
        while (reader.Read())
            claimed.Add(
                new OutboxEntry(
                    reader.GetInt64(0),
                    reader.GetString(1),
                    reader.GetString(2),
                    reader.GetInt32(3),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4))
                )
            );
        claimed.Sort((a, b) => a.Id.CompareTo(b.Id));
        return claimed;
    }

    public void MarkSent(long id)
    {
        using var connection = database.Connect();
        using var update = connection
            .Command(
                "UPDATE notification_outbox SET sent_ms = $now, attempts = attempts + 1, claimed_until_ms = NULL, last_error = NULL WHERE id = $id;"
            )
            .With("$now", NowMs())
            .With("$id", id);
        update.ExecuteNonQuery();
    }

    /// <summary>A failed attempt: the row waits until <paramref name="nextAttempt"/>.</summary>
    public void Retry(long id, DateTimeOffset nextAttempt, string error)
    {
        using var connection = database.Connect();
        using var update = connection
            .Command(
                "UPDATE notification_outbox SET attempts = attempts + 1, next_attempt_ms = $next, claimed_until_ms = NULL, last_error = $error WHERE id = $id;"
            )
            .With("$next", nextAttempt.ToUnixTimeMilliseconds())
            .With("$error", error)
            .With("$id", id);
        update.ExecuteNonQuery();
    }

    /// <summary>Removes a row that is given up on.</summary>
    public void Drop(long id)
    {
        using var connection = database.Connect();
        using var delete = connection.Command("DELETE FROM notification_outbox WHERE id = $id;").With("$id", id);
        delete.ExecuteNonQuery();
    }

    /// <summary>Deletes rows sent before <paramref name="before"/>.</summary>
    public int PruneSent(DateTimeOffset before)
    {
        using var connection = database.Connect();
        using var delete = connection
            .Command("DELETE FROM notification_outbox WHERE sent_ms IS NOT NULL AND sent_ms < $before;")
            .With("$before", before.ToUnixTimeMilliseconds());
        return delete.ExecuteNonQuery();
    }

    /// <summary>Rows not yet sent (the settings screen and specs).</summary>
    public int Pending()
    {
        using var connection = database.Connect();
        using var count = connection.Command("SELECT COUNT(*) FROM notification_outbox WHERE sent_ms IS NULL;");
        return Convert.ToInt32(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
