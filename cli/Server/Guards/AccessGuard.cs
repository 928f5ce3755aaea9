using Cast2md.Api;
using Microsoft.AspNetCore.Http.Features;

namespace Cast2md.Cli.Server.Guards;

/// <summary>
/// Decides every API call from the endpoint routing matched (never from the path text, which routing compares
/// case-insensitively): a cross-site browser request is refused, then the caller is authenticated as the endpoint
/// declares (<see cref="ApiAccess"/>; none declared counts as admin), and only then is the body's type and size checked
/// and its limit set, so nothing an unauthenticated caller sends is read.
/// </summary>
internal static partial class AccessGuard
{
    public static Task HandleAsync(HttpContext context, RequestDelegate next)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null)
            return next(context); // 404: nothing runs, the error middleware answers
        var metadata = endpoint.Metadata;
        var services = context.RequestServices.GetRequiredService<ServerServices>();

        if (CrossSiteProblem(context.Request) is { } crossSite)
            return ApiErrors.Detail(StatusCodes.Status403Forbidden, crossSite).ExecuteAsync(context);

        var access = metadata.GetMetadata<ApiAccessMetadata>()?.Access ?? ApiAccess.Admin;
        if (Authenticate(context, services, access) is { } refused)
            return refused.ExecuteAsync(context);

        if (BodyProblem(context, metadata) is { } body)
            return body.ExecuteAsync(context);
        return next(context);
    }

    private static IResult? Authenticate(HttpContext context, ServerServices services, ApiAccess access) =>
        access switch
        {
            ApiAccess.Public or ApiAccess.Registration => null,
            ApiAccess.Node => Endpoints.NodeEndpoints.PreAuthenticate(context, services),
            ApiAccess.NodeOrAdmin when context.Request.Headers.ContainsKey(NodeProtocol.KeyHeader) => Endpoints.NodeEndpoints.PreAuthenticate(
                context,
                services
            ),
            _ => AdminProblem(context, services),
        };

    private static IResult? AdminProblem(HttpContext context, ServerServices services)
    {
        if (services.Options.IsLoopbackOnly || services.AdminToken.Matches(context.Request.Headers.Authorization))
            return null;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return ApiErrors.Detail(
            StatusCodes.Status401Unauthorized,
            "Missing or wrong admin token: send 'Authorization: Bearer <token>' (see CAST2MD_ADMIN_TOKEN or the data folder's admin-token file)"
        );
    }

    /// <summary>
    /// A body must be JSON (a form post is how a web page reaches an API it cannot read) and fit the endpoint's limit;
    /// the limit is also set on the connection, so a chunked body that grows past it is cut off while it is read.
    /// </summary>
    private static IResult? BodyProblem(HttpContext context, EndpointMetadataCollection metadata)
    {
        var request = context.Request;
        var limit = metadata.GetMetadata<BodyLimitMetadata>()?.MaxBytes ?? BodyLimits.Default;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = limit;
        var hasBody = request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        if (!hasBody)
            return null;
        if (!request.HasJsonContentType() && !IsDeclaredType(request, metadata))
            return ApiErrors.Detail(
                StatusCodes.Status415UnsupportedMediaType,
                $"Unsupported Media Type: send the body as application/json (got {(string.IsNullOrEmpty(request.ContentType) ? "no content type" : $"'{request.ContentType}'")})."
            );
        if (request.ContentLength > limit)
            return TooLarge(limit);
        return null;
    }

    private static bool IsDeclaredType(HttpRequest request, EndpointMetadataCollection metadata) =>
        metadata.GetMetadata<BodyTypesMetadata>() is { } declared
        && Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
        && declared.MediaTypes.Any(m => type.MediaType.Equals(m, StringComparison.OrdinalIgnoreCase));

    public static IResult TooLarge(long limit) =>
        ApiErrors.Detail(StatusCodes.Status413PayloadTooLarge, $"The request body is larger than this endpoint accepts ({Describe(limit)}).");

    private static string Describe(long bytes) => bytes >= 1024 * 1024 ? $"{bytes / (1024 * 1024)} MB" : $"{bytes / 1024} KB";
}
