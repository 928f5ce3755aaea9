using Cast2md.Cli.Server.Guards;
using Cast2md.Json;
using Cast2md.Search;

namespace Cast2md.Cli.Server.Endpoints;

/// <summary>GET /api/search?q=…&amp;feed=&amp;since=&amp;limit=&amp;offset=: the same search as `cast2md search` (400 for a query we cannot search).</summary>
internal static class SearchEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var search = app.MapServiceGroup("/api/search").ForAdmin();
        search.MapGet("", Search);
    }

    private static IResult Search(ServerServices services, string? q, long? feed, string? since, int? limit, int? offset)
    {
        var request = new SearchRequest(q ?? "", feed, SearchService.ParseSince(since), limit ?? 20, offset ?? 0);
        return ApiResults.Json(services.Core.Search.Search(request), Cast2mdJsonContext.Default.SearchPage);
    }
}
