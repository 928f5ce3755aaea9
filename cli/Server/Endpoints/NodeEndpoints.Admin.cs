using Cast2md.Api;
using Cast2md.Cli.Server.Guards;
using Cast2md.Json;
using Cast2md.NodeRegistry;
using Cast2md.Services;
using Microsoft.AspNetCore.Mvc;

namespace Cast2md.Cli.Server.Endpoints;

internal static partial class NodeEndpoints
{
    private static void MapAdmin(RouteGroupBuilder nodes)
    {
        nodes.MapGet("", List);
        nodes.MapPost("", Add);
        nodes.MapGet("/stale", Stale);
        nodes.MapDelete("/stale", DeleteStale);
        nodes.MapGet("/{nodeId}", GetOne);
        nodes.MapPost("/{nodeId}/test", TestAsync);
        nodes.MapDelete("/{nodeId}", Delete).Access(ApiAccess.NodeOrAdmin);
    }

    private static IResult List([FromServices] ServerServices services)
    {
        var nodes = services.Nodes.List().Select(n => Describe(services, n)).ToList();
        return ApiResults.Json(new NodeListResponse(nodes, nodes.Count), Cast2mdJsonContext.Default.NodeListResponse);
    }

    private static IResult GetOne(string nodeId, [FromServices] ServerServices services) =>
        services.Nodes.Get(nodeId) is { } node
            ? ApiResults.Json(Describe(services, node), Cast2mdJsonContext.Default.NodeResponse)
            : ApiErrors.NotFound($"Node {nodeId} not found");

    /// <summary>"Add Node Manually": the API key is in this answer and nowhere else, ever.</summary>
    private static IResult Add([FromBody] NodeRegisterRequest request, [FromServices] ServerServices services)
    {
        if (string.IsNullOrWhiteSpace(request.Url))
            throw new Services.InvalidRequestException("url is required: where the node's status endpoint answers (http://host:8001).");
        var (node, apiKey) = services.Nodes.Register(
            Validate(request, fallbackPriority: 10),
            services.NodeHeartbeatTimeout,
            reuseOfflineNamesake: false
        );
        return ApiResults.Json(
            new NodeRegisterResponse(
                node.Id,
                apiKey,
                $"Node '{node.Name}' added. Save the API key now: it is not shown again. Put it in ~/.cast2md/node.json on the node."
            ),
            Cast2mdJsonContext.Default.NodeRegisterResponse
        );
    }

    /// <summary>Really probes the node: <c>GET {url}/status</c> within 5 s (the original probed the server's own localhost for CLI-registered nodes).</summary>
    private static async Task<IResult> TestAsync(string nodeId, [FromServices] ServerServices services, CancellationToken cancellationToken)
    {
        var node = services.Nodes.Get(nodeId);
        if (node is null)
            return ApiErrors.NotFound($"Node {nodeId} not found");
        var (message, reachable, code) = await NodeProbe.ProbeAsync(services.Core.Http, node, cancellationToken);
        return ApiResults.Json(new NodeTestResponse(message, reachable, code), Cast2mdJsonContext.Default.NodeTestResponse);
    }

    private static IResult Stale([FromQuery(Name = "offline_hours")] double? offlineHours, [FromServices] ServerServices services)
    {
        var hours = OfflineHours(offlineHours);
        var now = DateTimeOffset.UtcNow;
        var stale = services
            .Nodes.Stale(TimeSpan.FromHours(hours))
            .Select(n => new StaleNode(
                n.Id,
                n.Name,
                ApiTime.Utc(n.LastHeartbeat),
                n.LastHeartbeat is { } seen ? Math.Round((now - seen).TotalHours, 2) : null
            ))
            .ToList();
        return ApiResults.Json(new StaleNodesResponse(stale.Count, hours, stale), Cast2mdJsonContext.Default.StaleNodesResponse);
    }

    /// <summary>Removes nodes silent for longer than <c>offline_hours</c> (24) that hold no job.</summary>
    private static IResult DeleteStale([FromQuery(Name = "offline_hours")] double? offlineHours, [FromServices] ServerServices services)
    {
        var hours = OfflineHours(offlineHours);
        var deleted = NodeCleanup.DeleteStale(services.Core, TimeSpan.FromHours(hours));
        return ApiResults.Json(
            new StaleNodesDeletedResponse(deleted, $"Deleted {deleted} stale node(s)"),
            Cast2mdJsonContext.Default.StaleNodesDeletedResponse
        );
    }

    /// <summary>
    /// Removes a node — the admin, or the node itself with its own key (<c>cast2md node unregister</c>) — and puts the
    /// jobs it held back in the queue at once (the original left them running until the 30-minute timeout).
    /// </summary>
    private static IResult Delete(HttpContext context, string nodeId, [FromServices] ServerServices services)
    {
        if (context.Request.Headers.ContainsKey(NodeProtocol.KeyHeader))
            Authenticate(context, services, nodeId);
        var node = services.Nodes.Get(nodeId);
        if (node is null)
            return ApiErrors.NotFound($"Node {nodeId} not found");
        var released = services.Core.Outcomes.ReleaseAllHeldBy(node.WorkerId, "api", $"node '{node.Name}' was deleted");
        services.Nodes.Delete(nodeId);
        return ApiResults.Json(new NodeDeletedResponse("Node deleted", released), Cast2mdJsonContext.Default.NodeDeletedResponse);
    }

    private static NodeResponse Describe(ServerServices services, TranscriberNode node) =>
        NodeOverview.Describe(services.Core, node, DateTimeOffset.UtcNow, services.Dispatcher.Speeds);

    private static double OfflineHours(double? hours) =>
        hours switch
        {
            null => 24,
            < 0 or double.NaN => throw new Services.InvalidRequestException("offline_hours must be 0 or more."),
            _ => hours.Value,
        };
}
