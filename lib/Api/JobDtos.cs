using System.Text.Json.Serialization;
using Cast2md.Queue;

namespace Cast2md.Api;

// JSON shapes of a job, as the original cast2md serves them, snake_case.

/// <summary>
/// A job as the original's <c>JobResponse</c>, plus who holds it and how far it got (<c>claimed_by</c>,
/// <c>progress_percent</c>, <c>lease_expires_at</c>) and <c>permanent_failure</c>. <c>scheduled_at</c> is the time the
/// job may run from (its run-after time); <c>next_retry_at</c> is the same time for a queued job that already failed once.
/// </summary>
public record JobResponse(
    long Id,
    long EpisodeId,
    string JobType,
    int Priority,
    string Status,
    int Attempts,
    int MaxAttempts,
    DateTime ScheduledAt,
    DateTime? StartedAt,
    DateTime? CompletedAt,
    DateTime? NextRetryAt,
    string? ErrorMessage,
    DateTime CreatedAt,
    string? ClaimedBy,
    double? ProgressPercent,
    DateTime? LeaseExpiresAt,
    bool PermanentFailure
)
{
    public static JobResponse From(Job job) =>
        new(
            job.Id,
            job.EpisodeId,
            job.Type.ToName(),
            job.Priority,
            job.Status.ToName(),
            job.Attempts,
            job.MaxAttempts,
            ApiTime.Utc(job.RunAfter),
            ApiTime.Utc(job.StartedAt),
            ApiTime.Utc(job.CompletedAt),
            job.Status == JobStatus.Queued && job.Attempts > 0 ? ApiTime.Utc(job.RunAfter) : null,
            job.ErrorMessage,
            ApiTime.Utc(job.CreatedAt),
            job.ClaimedBy,
            job.ProgressPercent,
            ApiTime.Utc(job.LeaseExpiresAt),
            job.PermanentFailure
        );
}

/// <summary><c>GET /api/queue/{job_id}</c>: the job and its append-only history (the original had no history).</summary>
public sealed record JobDetailResponse : JobResponse
{
    public JobDetailResponse(JobResponse job, IReadOnlyList<JobHistoryItem> history)
        : base(job) => History = history;

    [JsonPropertyOrder(1)] // after the job's own fields
    public IReadOnlyList<JobHistoryItem> History { get; init; }
}

/// <summary>One line of a job's history: what happened, when, and who did it (a worker id, "api", "admin", "startup").</summary>
public sealed record JobHistoryItem(DateTime At, string Event, string? Actor, string? Detail)
{
    public static JobHistoryItem From(JobHistoryEntry entry) => new(ApiTime.Utc(entry.At), entry.Event, entry.Actor, entry.Detail);
}

public sealed record JobHistoryResponse(long JobId, IReadOnlyList<JobHistoryItem> History);

public sealed record JobListResponse(IReadOnlyList<JobResponse> Jobs);

/// <summary>A job was queued (or an action was taken on one): <c>{message, job_id}</c>.</summary>
public sealed record QueueJobResponse(string Message, long JobId);

/// <summary>Optional body of the single-episode queue calls, and the body of <c>PATCH /api/queue/{job_id}</c>.</summary>
/// <summary>
/// Body of the single-episode queue calls: <c>priority</c> (lower runs first) and, for a transcription, the <c>model</c>
/// it needs (then only a node serving that model, or the server's own worker, takes it).
/// </summary>
public sealed record PriorityRequest(int? Priority, string? Model = null);

/// <summary><c>POST /api/queue/batch/episodes</c>.</summary>
public sealed record BatchEpisodesRequest([property: JsonPropertyName("episode_ids")] IReadOnlyList<long>? EpisodeIds, int? Priority);

public sealed record BatchQueueResponse(int Queued, int Skipped, string Message);

/// <summary><c>DELETE /api/queue/batch/queued</c>.</summary>
public sealed record BatchCancelResponse(int Cancelled, string Message);

/// <summary><c>POST /api/queue/batch/range</c>: 1-based positions in newest-first order and/or ISO dates, all optional.</summary>
public sealed record BatchRangeRequest(long? FeedId, int? Priority, int? PositionFrom, int? PositionTo, string? DateFrom, string? DateTo);

/// <summary><c>GET /api/queue/retranscribe/info/{feed_id}</c>.</summary>
public sealed record RetranscribeInfoResponse(string CurrentModel, int NeedsRetranscription);

/// <summary><c>POST /api/queue/batch/reset-stuck</c>: requeued jobs, and those failed because their attempts were used up.</summary>
public sealed record ResetStuckResponse(int Queued, int Skipped, string Message);

/// <summary><c>DELETE /api/queue/batch/completed</c>.</summary>
public sealed record DeleteCompletedResponse(int DeletedCount, string Message);
