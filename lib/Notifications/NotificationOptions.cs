namespace Cast2md.Notifications;

/// <summary>How the outbox is drained. The defaults are the server's; specs shorten the times.</summary>
public sealed record NotificationOptions
{
    /// <summary>The wait after the first failed attempt; it doubles with every further one, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryBase { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromHours(2);

    /// <summary>A notification not delivered this long after its event is dropped (with a log line): news a day old is no news.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromDays(1);

    /// <summary>How often the sender looks for due rows.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a claimed row is this sender's: longer than one HTTP attempt (<see cref="RequestTimeout"/>), so no other
    /// sender takes it meanwhile; a sender that died leaves it to be claimed again once this has passed.
    /// </summary>
    public TimeSpan ClaimDuration { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Sent rows are kept this long (for inspection) and then deleted.</summary>
    public TimeSpan KeepSent { get; init; } = TimeSpan.FromDays(7);
}
