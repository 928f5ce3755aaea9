namespace Cast2md.Queue;

/// <summary>A row of the job queue.</summary>
public sealed record Job(
    long Id,
    long EpisodeId,
    JobType Type,
    JobStatus Status,
    int Priority,
    int Attempts,
    int MaxAttempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset RunAfter,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    string? ClaimedBy,
    DateTimeOffset? LeaseExpiresAt,
    double? ProgressPercent,
    string? ErrorMessage,
    bool PermanentFailure,
    string? Model = null)
{
    public bool IsActive => Status is JobStatus.Queued or JobStatus.Running;
}
