using Cast2md.Services;
using ModelContextProtocol.Protocol;

namespace Cast2md.Cli.Mcp;

/// <summary>
/// Registers cast2md's tools and resources on an MCP server, stdio (<c>cast2md mcp</c>) or HTTP (<c>/mcp</c> on serve).
/// Through the SDK's low-level handlers with hand-written schemas: no reflection over methods or parameters, so the
/// Native AOT build stays free of trimming warnings.
/// </summary>
internal static class McpServerSetup
{
    public static IMcpServerBuilder AddCast2mdMcp(this IServiceCollection services, Cast2mdCore core, string version)
    {
        var tools = new McpTools(core);
        var resources = new McpResources(core);
        return services
            .AddMcpServer(o =>
            {
                o.ServerInfo = new Implementation { Name = "cast2md", Version = version };
                o.ServerInstructions =
                    "cast2md's podcast library: feeds, episodes and their transcripts. Use list_feeds or find_feed to find a feed, "
                    + "recent_episodes or get_feed for episodes, get_transcript to read what was said.";
            })
            .WithListToolsHandler((_, _) => ValueTask.FromResult(new ListToolsResult { Tools = McpToolCatalog.All }))
            .WithCallToolHandler((request, cancellationToken) => tools.CallAsync(request.Params?.Name, request.Params?.Arguments, cancellationToken))
            .WithListResourcesHandler((_, _) => ValueTask.FromResult(resources.List()))
            .WithListResourceTemplatesHandler((_, _) => ValueTask.FromResult(McpResources.Templates()))
            .WithReadResourceHandler((request, cancellationToken) => resources.ReadAsync(request.Params?.Uri, cancellationToken));
    }
}
