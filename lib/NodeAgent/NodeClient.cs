using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Cast2md.Api;
using Cast2md.Json;

namespace Cast2md.NodeAgent;

/// <summary>
/// The node's side of the protocol (docs/distributed-protocol.md): one method per endpoint. Sends the key only to the
/// server in node.json (the client follows no redirects); job-scoped calls carry <c>X-Lease-Token</c>.
/// <paramref name="serverReached"/> is told about every answer, so auto-termination knows the server is alive.
/// </summary>
public sealed partial class NodeClient(HttpClient http, NodeConfig config, Action? serverReached = null)
{
    public NodeConfig Config { get; } = config;

    public Uri Url(string relative) => new(Config.ServerUri, relative.TrimStart('/'));

    public Task<NodeHeartbeatResponse> HeartbeatAsync(NodeHeartbeatRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(
            HttpMethod.Post,
            $"api/nodes/{Esc(Config.NodeId)}/heartbeat",
            null,
            Body(request, Cast2mdJsonContext.Default.NodeHeartbeatRequest),
            Cast2mdJsonContext.Default.NodeHeartbeatResponse,
            null,
            cancellationToken
        );

    /// <summary>Claims a job; with <paramref name="wait"/> &gt; 0 the server holds the request until a job is queued or the time is up.</summary>
    public Task<NodeClaimResponse> ClaimAsync(TimeSpan wait, CancellationToken cancellationToken = default)
    {
        var path = $"api/nodes/{Esc(Config.NodeId)}/claim";
        if (wait > TimeSpan.Zero)
            path += "?wait=" + wait.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        return SendAsync(
            HttpMethod.Post,
            path,
            null,
            Body(new NodeClaimRequest(wait > TimeSpan.Zero ? wait.TotalSeconds : null, Spans: true), Cast2mdJsonContext.Default.NodeClaimRequest),
            Cast2mdJsonContext.Default.NodeClaimResponse,
            wait + TimeSpan.FromSeconds(20),
            cancellationToken
        );
    }

    /// <summary>Whole percent: the original's server refuses a fraction (422), and ours needs no finer step.</summary>
    public Task ProgressAsync(long jobId, string? leaseToken, double percent, CancellationToken cancellationToken = default) =>
        SendAsync(
            HttpMethod.Post,
            $"api/nodes/jobs/{jobId}/progress",
            leaseToken,
            Body(new NodeProgressRequest(Math.Floor(Math.Clamp(percent, 0, 100))), Cast2mdJsonContext.Default.NodeProgressRequest),
            null,
            null,
            cancellationToken
        );

    public Task CompleteAsync(long jobId, string? leaseToken, NodeCompleteRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(
            HttpMethod.Post,
            $"api/nodes/jobs/{jobId}/complete",
            leaseToken,
            Body(request, Cast2mdJsonContext.Default.NodeCompleteRequest),
            null,
            TimeSpan.FromMinutes(2),
            cancellationToken
        );

    /// <param name="nodeFault">The node itself cannot work: the job goes back without using an attempt.</param>
    public Task FailAsync(
        long jobId,
        string? leaseToken,
        string message,
        bool retry,
        CancellationToken cancellationToken = default,
        bool nodeFault = false
    ) =>
        SendAsync(
            HttpMethod.Post,
            $"api/nodes/jobs/{jobId}/fail",
            leaseToken,
            Body(new NodeFailRequest(message, retry, nodeFault), Cast2mdJsonContext.Default.NodeFailRequest),
            null,
            null,
            cancellationToken
        );

    public Task ReleaseAsync(long jobId, string? leaseToken, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"api/nodes/jobs/{jobId}/release", leaseToken, null, null, TimeSpan.FromSeconds(5), cancellationToken);

    /// <summary><c>DELETE /api/nodes/{id}</c> with the node's own key: its jobs go back to the queue.</summary>
    public Task UnregisterAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"api/nodes/{Esc(Config.NodeId)}", null, null, null, null, cancellationToken);

    /// <summary>Whether <c>audio_url</c> points at the server of node.json (same scheme, host and port): only there may the key go.</summary>
    public bool TryResolveOnServer(string audioUrl, out Uri url)
    {
        url =
            Uri.TryCreate(audioUrl, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https"
                ? absolute
                : new Uri(Config.ServerUri, audioUrl.TrimStart('/'));
        return Uri.Compare(url, Config.ServerUri, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
    }

    /// <summary>Adds the node's key and the job's lease to a request for the server.</summary>
    public void Authorize(HttpRequestMessage request, string? leaseToken)
    {
        request.Headers.TryAddWithoutValidation(NodeProtocol.KeyHeader, Config.ApiKey);
        if (leaseToken is not null)
            request.Headers.TryAddWithoutValidation(NodeProtocol.LeaseHeader, leaseToken);
    }

    public void NotifyServerReached() => serverReached?.Invoke();

    private static string Esc(string value) => Uri.EscapeDataString(value);

    private static HttpContent Body<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, typeInfo));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}
