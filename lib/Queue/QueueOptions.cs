namespace Cast2md.Queue;

/// <summary>Retry policy of the queue.</summary>
public sealed record QueueOptions
{
    /// <summary>Tries before a job fails for good.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Wait after the first failure; each further failure waits five times longer, up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMinutes(1);

    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromHours(6);

    /// <summary>± this fraction of the delay, so jobs that failed together do not retry together.</summary>
    public double RetryJitter { get; init; } = 0.2;
}
