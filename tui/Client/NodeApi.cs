using Cast2md.Json;

namespace Cast2md.Tui.Client;

/// <summary>What the node monitor asks: the local node's status endpoint, and the server's queue overview.</summary>
public interface INodeApi
{
    Task<NodeSnapshot> FetchAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// GET {status}/status on the node, and GET /api/queue/status on the server: open on a loopback server, elsewhere only
/// with the admin token (the node's own key does not open the admin API), so a 401 is shown as such.
/// </summary>
public sealed class NodeApi(NodeMonitorConfig config, MonitorHttp status, MonitorHttp? server) : INodeApi, IDisposable
{
    public async Task<NodeSnapshot> FetchAsync(CancellationToken cancellationToken = default)
    {
        var statusTask = status.GetAsync("status", Cast2mdJsonContext.Default.NodeStatusResponse, cancellationToken);
        var queueTask = server?.GetAsync("api/queue/status", Cast2mdJsonContext.Default.QueueStatusResponse, cancellationToken);
        Cast2md.Api.NodeStatusResponse? node = null;
        Cast2md.Api.QueueStatusResponse? queue = null;
        string? statusError = null,
            queueError = server is null ? "not registered with a server" : null;
        try
        {
            node = await statusTask;
        }
        catch (Cast2md.Api.ApiCallException ex)
        {
            statusError = ex.IsUnreachable ? $"node not running ({ex.Message}); start it with cast2md node start" : ex.Message;
        }
        if (queueTask is not null)
        {
            try
            {
                queue = await queueTask;
            }
            catch (Cast2md.Api.ApiCallException ex)
            {
                queueError =
                    ex.StatusCode == 401
                        ? "the server's queue needs the admin token (set CAST2MD_ADMIN_TOKEN); showing what the node knows"
                        : $"server unreachable — retrying ({ex.Message})";
            }
        }
        return new NodeSnapshot(DateTimeOffset.UtcNow, config, node, statusError, queue, queueError);
    }

    public void Dispose()
    {
        status.Dispose();
        server?.Dispose();
    }
}
