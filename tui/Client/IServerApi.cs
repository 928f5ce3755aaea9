using Cast2md.Api;

namespace Cast2md.Tui.Client;

/// <summary>What the server monitor asks of a cast2md server; the seam the view specs replace with fixed data.</summary>
public interface IServerApi
{
    string ServerUrl { get; }

    Task<ServerSnapshot> FetchAsync(bool includeFeedsAndSettings, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<EpisodeResponse>> EpisodesAsync(long feedId, CancellationToken cancellationToken = default);

    Task<string> TranscriptAsync(long episodeId, CancellationToken cancellationToken = default);

    /// <summary>The transcript's segments with their times (the JSON transcript), to open it at a search hit.</summary>
    Task<Cast2md.Transcripts.TranscriptJsonDocument> TranscriptSegmentsAsync(long episodeId, CancellationToken cancellationToken = default);

    /// <summary>GET /api/search: the first page of hits, best first.</summary>
    Task<Cast2md.Search.SearchPage> SearchAsync(string query, CancellationToken cancellationToken = default);

    Task<string> JobActionAsync(long jobId, string action, CancellationToken cancellationToken = default);

    Task<string> SetPriorityAsync(long jobId, int priority, CancellationToken cancellationToken = default);

    Task<NodeRegisterResponse> AddNodeAsync(string name, string url, CancellationToken cancellationToken = default);

    Task<string> TestNodeAsync(string nodeId, CancellationToken cancellationToken = default);

    Task<string> DeleteNodeAsync(string nodeId, CancellationToken cancellationToken = default);

    Task<string> AddFeedAsync(string url, CancellationToken cancellationToken = default);

    Task<string> RefreshFeedAsync(long feedId, CancellationToken cancellationToken = default);

    Task<string> ProcessFeedAsync(long feedId, CancellationToken cancellationToken = default);

    Task<string> EpisodeActionAsync(long episodeId, string action, CancellationToken cancellationToken = default);

    Task<string> UpdateSettingAsync(string key, string type, string value, CancellationToken cancellationToken = default);
}
