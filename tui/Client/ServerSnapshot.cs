using Cast2md.Api;

namespace Cast2md.Tui.Client;

/// <summary>Everything the server monitor shows, fetched in one round; a part that failed is null and its error is kept.</summary>
public sealed record ServerSnapshot(
    DateTimeOffset FetchedAt,
    HealthResponse? Health,
    QueueStatusResponse? Queue,
    QueueStatsResponse? Stats,
    IReadOnlyList<QueueJobEntry> FailedJobs,
    IReadOnlyList<NodeResponse> Nodes,
    IReadOnlyList<FeedResponse> Feeds,
    SettingsResponse? Settings,
    string? Error
)
{
    public bool IsReachable => Error is null;
}
