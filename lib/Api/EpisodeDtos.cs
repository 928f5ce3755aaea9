using Cast2md.Library;

namespace Cast2md.Api;

// JSON shapes of the episode endpoints, as the original serves them, snake_case.

/// <summary>An episode; beyond the original: <c>permanent_failure</c>.</summary>
public sealed record EpisodeResponse(
    long Id,
    long FeedId,
    string Guid,
    string Title,
    string? Description,
    string? AudioUrl,
    double? DurationSeconds,
    DateTime? PublishedAt,
    string Status,
    string? AudioPath,
    string? TranscriptPath,
    string? TranscriptUrl,
    string? TranscriptSource,
    string? TranscriptModel,
    string? ErrorMessage,
    bool PermanentFailure,
    DateTime CreatedAt,
    DateTime UpdatedAt
)
{
    public static EpisodeResponse From(Episode e) =>
        new(
            e.Id,
            e.FeedId,
            e.Guid,
            e.Title,
            e.Description,
            e.AudioUrl,
            e.DurationSeconds,
            ApiTime.Utc(e.PublishedAt),
            e.Status.ToName(),
            e.AudioPath,
            e.TranscriptPath,
            e.TranscriptUrl,
            e.TranscriptSource,
            e.TranscriptModel,
            e.ErrorMessage,
            e.PermanentFailure,
            ApiTime.Utc(e.CreatedAt),
            ApiTime.Utc(e.UpdatedAt)
        );
}

/// <summary>A page of episodes and how many there are in all.</summary>
public sealed record EpisodeListResponse(IReadOnlyList<EpisodeResponse> Episodes, int Total);

/// <summary>One line of <c>GET /api/episodes/recent</c>; the description is cut to 500 characters.</summary>
public sealed record RecentEpisode(
    long Id,
    long FeedId,
    string FeedTitle,
    string Title,
    string? Description,
    DateTime? PublishedAt,
    string Status,
    bool HasTranscript
);

public sealed record RecentEpisodesResponse(IReadOnlyList<RecentEpisode> Episodes, int Total, int Days);

/// <summary><c>GET /api/episodes/{id}/transcript/section</c>: one stretch of the transcript, a <c>[MM:SS] text</c> line per segment.</summary>
public sealed record TranscriptSectionResponse(
    long EpisodeId,
    string EpisodeTitle,
    string FeedTitle,
    DateTime? PublishedAt,
    string TimeRange,
    string Transcript
);
