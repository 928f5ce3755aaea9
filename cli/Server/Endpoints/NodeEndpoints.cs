using Cast2md.Api;
using Cast2md.Cli.Server.Guards;
using Cast2md.NodeRegistry;
using Cast2md.Queue;

namespace Cast2md.Cli.Server.Endpoints;

/// <summary>
/// /api/nodes, the original cast2md's node protocol (docs/distributed-protocol.md). Partials: <c>.Worker</c> (what a node calls about itself:
/// register, heartbeat, claim), <c>.Jobs</c> (what it calls about a job it holds: audio, progress, complete, fail,
/// release), <c>.Admin</c> (list, add by hand, test, stale clean-up, delete), <c>.Access</c> (the node checks the
/// access guard runs before a body is read). Every route declares who may call it: node calls authenticate with
/// <c>X-Transcriber-Key</c>, the rest of the group is the admin's.
/// </summary>
internal static partial class NodeEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var nodes = app.MapServiceGroup("/api/nodes").ForAdmin().AddEndpointFilter(NodeAccessFilterAsync);
        MapWorker(nodes);
        MapJobs(nodes);
        MapAdmin(nodes);
    }

    /// <summary>The node named in the path, if the request carries its key; else 401 (404 for an unknown node, as the original).</summary>
    private static TranscriberNode Authenticate(HttpContext context, ServerServices services, string nodeId)
    {
        var key = RequireKey(context);
        if (services.Nodes.Get(nodeId) is null)
            throw new NodeAccessException(StatusCodes.Status404NotFound, $"Node {nodeId} not found");
        return services.Nodes.Authenticate(nodeId, key) ?? throw new NodeAccessException(StatusCodes.Status401Unauthorized, "Invalid API key");
    }

    /// <summary>The node whose key the request carries (job calls have no node id in the path).</summary>
    private static TranscriberNode AuthenticateByKey(HttpContext context, ServerServices services) =>
        services.Nodes.FindByKey(RequireKey(context)) ?? throw new NodeAccessException(StatusCodes.Status401Unauthorized, "Invalid API key");

    private static string RequireKey(HttpContext context) =>
        context.Request.Headers[NodeProtocol.KeyHeader].FirstOrDefault() is { Length: > 0 } key
            ? key
            : throw new NodeAccessException(StatusCodes.Status401Unauthorized, "Missing X-Transcriber-Key header");

    /// <summary>
    /// The job, if <paramref name="node"/> holds it or held it under the lease token it presents (a late result);
    /// 404 for an unknown job, 403 for anyone else's.
    /// </summary>
    private static (Job Job, string? Token) RequireOwnJob(HttpContext context, ServerServices services, TranscriberNode node, long jobId)
    {
        var job = services.Jobs.Get(jobId) ?? throw new NodeAccessException(StatusCodes.Status404NotFound, $"Job {jobId} not found");
        var token = context.Request.Headers[NodeProtocol.LeaseHeader].FirstOrDefault() is { Length: > 0 } presented ? presented : null;
        if (token is not null)
        {
            if (services.Jobs.TokenOwner(jobId, token) != node.WorkerId)
                throw new NodeAccessException(StatusCodes.Status403Forbidden, "Job not assigned to this node");
            return (job, token);
        }
        // A node of the original sends no lease token: it may act on a job it holds now.
        if (job.ClaimedBy != node.WorkerId || job.Status != JobStatus.Running)
            throw new NodeAccessException(StatusCodes.Status403Forbidden, "Job not assigned to this node");
        return (job, services.Jobs.LeaseToken(jobId));
    }

    private static async ValueTask<object?> NodeAccessFilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (NodeAccessException ex)
        {
            return ApiErrors.Detail(ex.StatusCode, ex.Message);
        }
    }

    private sealed class NodeAccessException(int statusCode, string message) : Exception(message)
    {
        public int StatusCode { get; } = statusCode;
    }
}
