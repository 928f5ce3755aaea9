namespace Cast2md.Cli.Server;

/// <summary>
/// When the server listens beyond loopback, every API call except health checks needs
/// <c>Authorization: Bearer &lt;admin token&gt;</c>. Calls a node makes (register, heartbeat, claim, its jobs) are checked by
/// the node endpoints themselves: with its API key, or for registration the registration token.
/// </summary>
internal static class AdminGuard
{
    private static readonly string[] OpenPaths = ["/api/health", "/api/system/health"];

    public static Task HandleAsync(HttpContext context, RequestDelegate next)
    {
        var services = context.RequestServices.GetRequiredService<ServerServices>();
        if (services.Options.IsLoopbackOnly || !context.Request.Path.StartsWithSegments("/api") || OpenPaths.Contains(context.Request.Path.Value)
            || Endpoints.NodeEndpoints.IsNodeCall(context.Request))
            return next(context);
        if (services.AdminToken.Matches(context.Request.Headers.Authorization))
            return next(context);
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return ApiErrors.Detail(StatusCodes.Status401Unauthorized, "Missing or wrong admin token: send 'Authorization: Bearer <token>' (see CAST2MD_ADMIN_TOKEN or the data folder's admin-token file)")
            .ExecuteAsync(context);
    }
}
