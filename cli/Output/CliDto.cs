using Cast2md.Api;
using Cast2md.Library;
using Cast2md.Queue;
using Cast2md.Services;

namespace Cast2md.Cli.Output;

/// <summary>Library records to the --json shapes in <see cref="Cast2md.Api"/>.</summary>
internal static class CliDto
{
    public static CliFeed Feed(Feed f) =>
        new(
            f.Id,
            f.Url,
            f.Title,
            f.Description,
            f.ImageUrl,
            f.CustomTitle,
            f.DisplayTitle,
            f.Author,
            f.Link,
            f.Categories,
            f.LastPolledAt,
            f.LastError,
            f.EpisodeCount,
            f.StatusCounts,
            f.CreatedAt,
            f.UpdatedAt
        );

    public static CliEpisode Episode(Episode e) =>
        new(
            e.Id,
            e.FeedId,
            e.Guid,
            e.Title,
            e.Description,
            e.AudioUrl,
            e.DurationSeconds,
            e.PublishedAt,
            e.Status.ToName(),
            e.AudioPath,
            e.TranscriptPath,
            e.TranscriptUrl,
            e.TranscriptSource,
            e.TranscriptModel,
            e.ErrorMessage,
            e.CreatedAt,
            e.UpdatedAt
        );

    public static CliJob Job(Job j, string? episodeTitle = null, string? feedTitle = null) =>
        new(
            j.Id,
            j.EpisodeId,
            j.Type.ToName(),
            j.Priority,
            j.Status.ToName(),
            j.Attempts,
            j.MaxAttempts,
            j.CreatedAt,
            j.RunAfter,
            j.StartedAt,
            j.CompletedAt,
            IsWaitingForRetry(j) ? j.RunAfter : null,
            j.ClaimedBy,
            j.ProgressPercent,
            j.ErrorMessage,
            j.PermanentFailure,
            episodeTitle,
            feedTitle
        );

    public static CliJob Job(JobSummary s) => Job(s.Job, s.EpisodeTitle, s.FeedTitle);

    /// <summary>A queued job whose last attempt failed and that waits for its back-off to pass.</summary>
    public static bool IsWaitingForRetry(Job j) => j.Status == JobStatus.Queued && j.Attempts > 0 && j.RunAfter > DateTimeOffset.UtcNow;
}
