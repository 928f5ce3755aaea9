using System.Text.Json.Serialization;

namespace Cast2md.Api;

// JSON shapes of the queue overview, statistics and stuck-job endpoints, as the original cast2md serves them, snake_case.

/// <summary>A running or queued job in the queue overview; beyond the original: <c>claimed_by</c> and <c>progress_percent</c>.</summary>
public sealed record QueueJobSummary(long JobId, long EpisodeId, string EpisodeTitle, int Priority, string? ClaimedBy, double? ProgressPercent);

/// <summary>One job type's counts, running jobs and the head of its queue (at most 20).</summary>
public sealed record QueueTypeStatus(
    int Queued,
    int Running,
    int Completed,
    int Failed,
    int Cancelled,
    IReadOnlyList<QueueJobSummary> RunningJobs,
    IReadOnlyList<QueueJobSummary> QueuedJobs
);

/// <summary>
/// <c>GET /api/queue/status</c>. <c>running</c> says whether this process runs local workers. There are no embedding
/// jobs in this version: <c>embed_workers</c> is 0 and <c>embed_queue</c> empty, kept so the original's clients still read it.
/// </summary>
public sealed record QueueStatusResponse(
    bool Running,
    int DownloadWorkers,
    int TranscriptDownloadWorkers,
    int TranscribeWorkers,
    int TranscribeWorkersStandby,
    int EmbedWorkers,
    QueueTypeStatus DownloadQueue,
    QueueTypeStatus TranscriptDownloadQueue,
    QueueTypeStatus TranscribeQueue,
    QueueTypeStatus EmbedQueue
);

/// <summary>Completed transcription jobs in a time window; throughput = audio minutes ÷ minutes spent transcribing.</summary>
public sealed record QueueStatsWindow(
    int JobsCompleted,
    double AudioMinutesProcessed,
    double TotalProcessingSeconds,
    double AvgProcessingSeconds,
    double ThroughputRatio
);

/// <summary>Per worker (local worker id or node id) over 24 hours.</summary>
public sealed record WorkerStats(string NodeId, string NodeName, int JobsCompleted, double AvgProcessingSeconds);

/// <summary>The digits in "last_24h" and "by_node_24h" are named explicitly: the snake-case policy would write "last24h".</summary>
public sealed record QueueStatsResponse(
    QueueStatsWindow LastHour,
    [property: JsonPropertyName("last_24h")] QueueStatsWindow Last24h,
    [property: JsonPropertyName("by_node_24h")] IReadOnlyList<WorkerStats> ByNode24h
);

public sealed record StuckJob(
    long JobId,
    long EpisodeId,
    string EpisodeTitle,
    string PodcastTitle,
    string JobType,
    DateTime? StartedAt,
    double RuntimeSeconds,
    int Attempts,
    int MaxAttempts,
    string? ClaimedBy
);

public sealed record StuckJobsResponse(int StuckCount, int ThresholdMinutes, IReadOnlyList<StuckJob> Jobs);

/// <summary>One line of <c>GET /api/queue/all</c>.</summary>
public sealed record QueueJobEntry(
    long JobId,
    long EpisodeId,
    string EpisodeTitle,
    string PodcastTitle,
    string JobType,
    string Status,
    bool IsStuck,
    int Priority,
    int Attempts,
    int MaxAttempts,
    DateTime CreatedAt,
    DateTime ScheduledAt,
    DateTime? StartedAt,
    DateTime? CompletedAt,
    double? RuntimeSeconds,
    string? ErrorMessage,
    string? ClaimedBy,
    double? ProgressPercent
);

public sealed record QueueJobsResponse(int Total, int StuckCount, IReadOnlyList<QueueJobEntry> Jobs);
