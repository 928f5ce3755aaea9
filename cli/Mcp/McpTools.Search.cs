using Cast2md.Json;
using Cast2md.Search;
using Cast2md.Services;
using ModelContextProtocol.Protocol;

namespace Cast2md.Cli.Mcp;

internal sealed partial class McpTools
{
    /// <summary>
    /// The search `GET /api/search` and `cast2md search` run, with the same arguments and the same JSON page (an empty
    /// page when nothing matches), so a model reads hits exactly as the API documents them.
    /// </summary>
    private CallToolResult SearchTranscripts(McpArguments args)
    {
        var offset = args.OptionalLong("offset") ?? 0;
        if (offset is < 0 or > 10_000)
            throw new InvalidRequestException("'offset' must be between 0 and 10000.");
        var request = new SearchRequest(
            args.RequiredString("query"),
            args.OptionalLong("feed_id"),
            SearchService.ParseSince(args.OptionalString("since")),
            Limit(args, "limit", 20, SearchService.MaxLimit),
            (int)offset
        );
        return Json(core.Search.Search(request), Cast2mdJsonContext.Default.SearchPage);
    }
}
