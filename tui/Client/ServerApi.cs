using System.Globalization;
using Cast2md.Api;
using Cast2md.Json;

namespace Cast2md.Tui.Client;

/// <summary>The server's REST API as the monitor uses it.</summary>
public sealed class ServerApi(MonitorHttp http) : IServerApi, IDisposable
{
    public string ServerUrl => http.BaseUri.ToString().TrimEnd('/');

    public async Task<ServerSnapshot> FetchAsync(bool includeFeedsAndSettings, CancellationToken cancellationToken = default)
    {
        var now = DateTimeOffset.UtcNow;
        try
        {
            // Health first: when it fails the server is unreachable and nothing else is worth waiting for.
            var health = await http.GetAsync("api/health", Cast2mdJsonContext.Default.HealthResponse, cancellationToken);
            var queue = http.GetAsync("api/queue/status", Cast2mdJsonContext.Default.QueueStatusResponse, cancellationToken);
            var stats = http.GetAsync("api/queue/stats", Cast2mdJsonContext.Default.QueueStatsResponse, cancellationToken);
            var failed = http.GetAsync("api/queue/all?status=failed&limit=50", Cast2mdJsonContext.Default.QueueJobsResponse, cancellationToken);
            var nodes = http.GetAsync("api/nodes", Cast2mdJsonContext.Default.NodeListResponse, cancellationToken);
            var feeds = includeFeedsAndSettings ? http.GetAsync("api/feeds", Cast2mdJsonContext.Default.FeedListResponse, cancellationToken) : null;
            var settings = includeFeedsAndSettings
                ? http.GetAsync("api/settings", Cast2mdJsonContext.Default.SettingsResponse, cancellationToken)
                : null;
            await Task.WhenAll(new Task?[] { queue, stats, failed, nodes, feeds, settings }.OfType<Task>());
            return new ServerSnapshot(
                now,
                health,
                queue.Result,
                stats.Result,
                failed.Result.Jobs,
                nodes.Result.Nodes,
                feeds?.Result.Feeds ?? [],
                settings?.Result,
                null
            );
        }
        catch (Cast2md.Api.ApiCallException ex)
        {
            return new ServerSnapshot(now, null, null, null, [], [], [], null, ex.Message);
        }
    }

    public async Task<IReadOnlyList<EpisodeResponse>> EpisodesAsync(long feedId, CancellationToken cancellationToken = default) =>
        (await http.GetAsync($"api/feeds/{feedId}/episodes?limit=200", Cast2mdJsonContext.Default.EpisodeListResponse, cancellationToken)).Episodes;

    public Task<string> TranscriptAsync(long episodeId, CancellationToken cancellationToken = default) =>
        http.GetTextAsync($"api/episodes/{episodeId}/transcript?format=txt", cancellationToken);

    public Task<Cast2md.Transcripts.TranscriptJsonDocument> TranscriptSegmentsAsync(long episodeId, CancellationToken cancellationToken = default) =>
        http.GetAsync($"api/episodes/{episodeId}/transcript?format=json", Cast2mdJsonContext.Default.TranscriptJsonDocument, cancellationToken);

    /// <summary>The search the CLI and MCP run; 50 hits is more than a terminal shows, and paging is the CLI's and the API's.</summary>
    public Task<Cast2md.Search.SearchPage> SearchAsync(string query, CancellationToken cancellationToken = default) =>
        http.GetAsync($"api/search?q={Uri.EscapeDataString(query)}&limit=50", Cast2mdJsonContext.Default.SearchPage, cancellationToken);

    /// <param name="action">reset, retry or cancel.</param>
    public Task<string> JobActionAsync(long jobId, string action, CancellationToken cancellationToken = default) =>
        http.SendTextAsync(HttpMethod.Post, $"api/queue/{jobId}/{action}", null, cancellationToken);

    public Task<string> SetPriorityAsync(long jobId, int priority, CancellationToken cancellationToken = default) =>
        http.SendTextAsync(
            HttpMethod.Patch,
            $"api/queue/{jobId}",
            MonitorHttp.Object("priority", w => w.WriteNumberValue(priority)),
            cancellationToken
        );

    public Task<NodeRegisterResponse> AddNodeAsync(string name, string url, CancellationToken cancellationToken = default) =>
        http.PostAsync(
            "api/nodes",
            System.Text.Json.JsonSerializer.Serialize(new NodeRegisterRequest(name, url), Cast2mdJsonContext.Default.NodeRegisterRequest),
            Cast2mdJsonContext.Default.NodeRegisterResponse,
            cancellationToken
        );

    public async Task<string> TestNodeAsync(string nodeId, CancellationToken cancellationToken = default) =>
        (
            await http.PostAsync(
                $"api/nodes/{Uri.EscapeDataString(nodeId)}/test",
                null,
                Cast2mdJsonContext.Default.NodeTestResponse,
                cancellationToken
            )
        ).Message;

    public Task<string> DeleteNodeAsync(string nodeId, CancellationToken cancellationToken = default) =>
        http.SendTextAsync(HttpMethod.Delete, $"api/nodes/{Uri.EscapeDataString(nodeId)}", null, cancellationToken);

    public async Task<string> AddFeedAsync(string url, CancellationToken cancellationToken = default)
    {
        var feed = await http.PostAsync(
            "api/feeds",
            MonitorHttp.Object("url", w => w.WriteStringValue(url)),
            Cast2mdJsonContext.Default.FeedResponse,
            cancellationToken
        );
        return $"Added feed '{feed.DisplayTitle}' ({feed.EpisodeCount} episodes)";
    }

    public async Task<string> RefreshFeedAsync(long feedId, CancellationToken cancellationToken = default) =>
        (await http.PostAsync($"api/feeds/{feedId}/refresh", null, Cast2mdJsonContext.Default.FeedRefreshResponse, cancellationToken)).Message;

    public Task<string> ProcessFeedAsync(long feedId, CancellationToken cancellationToken = default) =>
        http.SendTextAsync(HttpMethod.Post, $"api/queue/batch/feed/{feedId}/process", null, cancellationToken);

    /// <param name="action">process ("Get Transcript") or download ("Download Audio").</param>
    public Task<string> EpisodeActionAsync(long episodeId, string action, CancellationToken cancellationToken = default) =>
        http.SendTextAsync(HttpMethod.Post, $"api/queue/episodes/{episodeId}/{action}", null, cancellationToken);

    /// <summary>PUT /api/settings with one key; booleans and numbers go as JSON values, everything else as a string.</summary>
    public async Task<string> UpdateSettingAsync(string key, string type, string value, CancellationToken cancellationToken = default)
    {
        var body = MonitorHttp.Object("settings", w =>
        {
            w.WriteStartObject();
            w.WritePropertyName(key);
            if (type == "bool" && bool.TryParse(value, out var b))
                w.WriteBooleanValue(b);
            else if (type is "int" && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l))
                w.WriteNumberValue(l);
            else if (type == "double" && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                w.WriteNumberValue(d);
            else
                w.WriteStringValue(value);
            w.WriteEndObject();
        });
        var result = await http.SendAsync(HttpMethod.Put, "api/settings", body, Cast2mdJsonContext.Default.SettingsUpdateResponse, cancellationToken);
        return result.Rejected.Count > 0 ? $"{key}: {result.Rejected[0].Reason}" : result.Message;
    }

    public void Dispose() => http.Dispose();
}
