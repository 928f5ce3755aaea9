using System.Globalization;

namespace Cast2md.Cli.Server.Endpoints;

internal static partial class NodeEndpoints
{
    /// <summary>
    /// The node checks of a node endpoint, run by the access guard before anything reads the body: the key (of the node
    /// named in the route, or of any node for the job calls) and, for a job, that this node holds it or presents its
    /// lease token. The handlers check again when they run; that costs a lookup, not a body. Null: go on.
    /// </summary>
    internal static IResult? PreAuthenticate(HttpContext context, ServerServices services)
    {
        try
        {
            var route = context.Request.RouteValues;
            if (route.TryGetValue("nodeId", out var nodeId) && nodeId is string id)
            {
                Authenticate(context, services, id);
                return null;
            }
            var node = AuthenticateByKey(context, services);
            if (
                route.TryGetValue("jobId", out var jobId)
                && long.TryParse(jobId as string, NumberStyles.None, CultureInfo.InvariantCulture, out var job)
            )
                RequireOwnJob(context, services, node, job);
            return null;
        }
        catch (NodeAccessException ex)
        {
            return ApiErrors.Detail(ex.StatusCode, ex.Message);
        }
    }
}
