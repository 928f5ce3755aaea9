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
    string? Model = null,
    long? ParentJobId = null,
    long? SpanStartMs = null,
    long? SpanEndMs = null,
    int? Spans = null
)
{
    public bool IsActive => Status is JobStatus.Queued or JobStatus.Running;

    /// <summary>A span: one stretch [<see cref="SpanStartMs"/>, <see cref="SpanEndMs"/>) of its parent's episode.</summary>
    public bool IsSpan => ParentJobId is not null;

    /// <summary>A transcription split into spans, waiting (running, without a lease) for their results.</summary>
    public bool IsSplit => Spans is not null;
}
