using Cast2md.Feeds;
using Cast2md.Feeds.Fetching;
using Cast2md.Library;
using Cast2md.Services;

namespace Cast2md.Cli.Server.Endpoints;

/// <summary>
/// Turns the services' refusals into <c>{"detail": ...}</c> answers in one place: not found → 404, conflict and
/// duplicate feed → 409, invalid request → 400, an unreachable or broken upstream feed → 502.
/// </summary>
internal static class ServiceErrors
{
    /// <summary>A route group under <paramref name="prefix"/> whose handlers get the mapping.</summary>
    public static RouteGroupBuilder MapServiceGroup(this IEndpointRouteBuilder app, string prefix) =>
        app.MapGroup(prefix).AddEndpointFilter(FilterAsync);

    private static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (NotFoundException ex)
        {
            return ApiErrors.NotFound(ex.Message);
        }
        catch (ConflictException ex)
        {
            return ApiErrors.Conflict(ex.Message);
        }
        catch (DuplicateFeedException ex)
        {
            return ApiErrors.Conflict(ex.Message);
        }
        catch (InvalidRequestException ex)
        {
            return ApiErrors.BadRequest(ex.Message);
        }
        catch (Exception ex) when (ex is FeedFetchException or FeedParseException)
        {
            return ApiErrors.Detail(StatusCodes.Status502BadGateway, ex.Message);
        }
    }
}
