using Cast2md.Api;

namespace Cast2md.Tui.ViewModels;

/// <summary>The Feeds tab: feeds with their counts, and the selected feed's episodes.</summary>
public static class FeedsViewModel
{
    public static IReadOnlyList<FeedRow> Feeds(IReadOnlyList<FeedResponse> feeds, DateTimeOffset now) =>
        feeds
            .OrderBy(f => f.DisplayTitle, StringComparer.OrdinalIgnoreCase)
            .Select(f => new FeedRow(
                f.Id,
                Format.Fit(f.DisplayTitle, 36),
                f.EpisodeCount,
                $"{f.StatusCounts.GetValueOrDefault("completed")}/{f.EpisodeCount}",
                Format.Ago(f.LastPolled, now),
                Format.Fit(f.LastError, 40)
            ))
            .ToList();

    public static IReadOnlyList<EpisodeRow> Episodes(IReadOnlyList<EpisodeResponse> episodes) =>
        episodes
            .Select(e => new EpisodeRow(
                e.Id,
                Format.Fit(e.Title, 40),
                e.Status,
                Format.Date(e.PublishedAt),
                Format.Duration(e.DurationSeconds),
                e.TranscriptPath is not null || e.Status == "completed"
            ))
            .ToList();
}
