using Cast2md.Queue;

namespace Cast2md.Api;

// What the feed, episode, queue, process, status and export commands print with --json: one document on stdout,
// snake_case. Feed, episode and job shapes follow the original's API with a few more fields.

public sealed record CliFeed(
    long Id,
    string Url,
    string Title,
    string? Description,
    string? ImageUrl,
    string? CustomTitle,
    string DisplayTitle,
    string? Author,
    string? Link,
    IReadOnlyList<string> Categories,
    DateTimeOffset? LastPolled,
    string? LastError,
    int EpisodeCount,
    IReadOnlyDictionary<string, int> StatusCounts,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt
);

public sealed record CliFeedList(IReadOnlyList<CliFeed> Feeds, int Total);

public sealed record CliFeedAdded(CliFeed Feed, int NewEpisodes, int QueuedEpisodes, IReadOnlyList<string> Warnings);

public sealed record CliFeedDetail(CliFeed Feed, IReadOnlyList<CliEpisode> Episodes, int TotalEpisodes);

public sealed record CliFeedRefresh(
    long FeedId,
    string? Title,
    bool NotModified,
    int NewEpisodes,
    int QueuedEpisodes,
    string? Error,
    IReadOnlyList<string> Warnings
);

public sealed record CliFeedRefreshList(IReadOnlyList<CliFeedRefresh> Results, int Failed);

public sealed record CliFeedDeleted(long Id, string Title, string? TrashPath);

public sealed record CliEpisode(
    long Id,
    long FeedId,
    string Guid,
    string Title,
    string? Description,
    string? AudioUrl,
    double? DurationSeconds,
    DateTimeOffset? PublishedAt,
    string Status,
    string? AudioPath,
    string? TranscriptPath,
    string? TranscriptUrl,
    string? TranscriptSource,
    string? TranscriptModel,
    string? ErrorMessage,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt
);

public sealed record CliEpisodeList(IReadOnlyList<CliEpisode> Episodes, int Total);

public sealed record CliEpisodeDetail(CliEpisode Episode, IReadOnlyList<CliJob> Jobs);

/// <summary>A job; <c>scheduled_at</c> is when it may run next, <c>next_retry_at</c> is set while a failed attempt waits.</summary>
public sealed record CliJob(
    long Id,
    long EpisodeId,
    string JobType,
    int Priority,
    string Status,
    int Attempts,
    int MaxAttempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset ScheduledAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? NextRetryAt,
    string? ClaimedBy,
    double? ProgressPercent,
    string? ErrorMessage,
    bool PermanentFailure,
    string? EpisodeTitle,
    string? FeedTitle
);

public sealed record CliJobList(IReadOnlyList<CliJob> Jobs, int Total);

public sealed record CliJobEvent(DateTimeOffset At, string Event, string? Actor, string? Detail);

public sealed record CliJobHistory(long JobId, IReadOnlyList<CliJobEvent> History);

public sealed record CliQueueType(
    int Queued,
    int Running,
    int Completed,
    int Failed,
    int Cancelled,
    IReadOnlyList<CliJob> RunningJobs,
    IReadOnlyList<CliJob> QueuedJobs
);

public sealed record CliQueueStatus(
    bool ServerRunning,
    CliQueueType DownloadQueue,
    CliQueueType TranscriptDownloadQueue,
    CliQueueType TranscribeQueue
);

public sealed record CliStatus(
    int FeedCount,
    EpisodeCounts EpisodeCounts,
    IReadOnlyDictionary<string, JobCounts> JobCounts,
    bool ServerRunning,
    string? ServerUrl,
    string WhisperModel,
    string WhisperDevice,
    string StoragePath,
    string DatabasePath
);

/// <summary>A job a command queued (<c>created</c>) or found already queued for the episode and waited on.</summary>
public sealed record CliQueuedJob(long JobId, long EpisodeId, string JobType, bool Created);

/// <summary>How an episode ended when a command waited for it: completed, failed or pending (timed out).</summary>
public sealed record CliEpisodeOutcome(
    long EpisodeId,
    string Title,
    string Outcome,
    string Status,
    string? Error,
    string? AudioPath,
    string? TranscriptPath
);

public sealed record CliProcessResult(
    int Queued,
    int Skipped,
    IReadOnlyList<CliQueuedJob> Jobs,
    bool Waited,
    IReadOnlyList<CliEpisodeOutcome>? Episodes
);

public sealed record CliExportResult(long FeedId, string Format, string Path, int Transcripts, long Bytes);

/// <summary>A change of a waited-for job, one per stderr line with <c>--progress json</c>.</summary>
public sealed record CliWaitEvent(
    string Event,
    long EpisodeId,
    long JobId,
    string JobType,
    string Status,
    double? ProgressPercent,
    string? Error,
    int Done,
    int Total
);
