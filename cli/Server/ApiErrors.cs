using System.Text.Json;
using Cast2md.Api;
using Cast2md.Json;

namespace Cast2md.Cli.Server;

/// <summary>Errors leave the API as <c>{"detail": "..."}</c> with a fitting status code, never as an HTML page or a stack trace.</summary>
internal static class ApiErrors
{
    public static IResult Detail(int statusCode, string detail) =>
        TypedResults.Json(new ErrorResponse(detail), Cast2mdJsonContext.Default.ErrorResponse, statusCode: statusCode);

    public static IResult NotFound(string detail) => Detail(StatusCodes.Status404NotFound, detail);

    public static IResult BadRequest(string detail) => Detail(StatusCodes.Status400BadRequest, detail);

    public static IResult Conflict(string detail) => Detail(StatusCodes.Status409Conflict, detail);

    /// <summary>Malformed JSON, a wrong content type and unexpected failures, turned into JSON errors.</summary>
    public static async Task HandleAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
            if (context.Response is { StatusCode: >= 400, HasStarted: false, ContentLength: null or 0 } response && response.ContentType is null)
                await WriteAsync(
                    context,
                    response.StatusCode,
                    response.StatusCode switch
                    {
                        400 when !context.Items.ContainsKey(Guards.ServerHosts.PassedItem) =>
                            $"This server does not answer to the host name '{context.Request.Host.Host}': add it to ALLOWED_HOSTS (a name behind which it really runs, e.g. a reverse proxy's).",
                        404 => "Not Found",
                        405 => "Method Not Allowed",
                        415 => "Unsupported Media Type: send application/json",
                        _ => "Bad Request",
                    }
                );
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            // Kestrel's own 413 message is a resource key in the AOT build: say it in our words.
            var detail =
                ex.InnerException is JsonException json ? "Invalid JSON body: " + json.Message
                : ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request body is larger than this endpoint accepts."
                : ex.Message;
            await WriteAsync(context, ex.StatusCode, detail);
        }
        catch (Exception ex) when (!context.Response.HasStarted && ex is not OperationCanceledException)
        {
            // The exception's own text (a SQLite message, a path, a resource key) is for the log, not for API clients.
            var reference = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));
            context
                .RequestServices.GetRequiredService<ILoggerFactory>()
                .CreateLogger("api")
                .LogError(ex, "request {Method} {Path} failed (reference {Reference})", context.Request.Method, context.Request.Path, reference);
            await WriteAsync(
                context,
                StatusCodes.Status500InternalServerError,
                $"Internal server error (reference {reference}): the server's log has the details."
            );
        }
    }

    private static Task WriteAsync(HttpContext context, int statusCode, string detail)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentLength = null;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new ErrorResponse(detail), Cast2mdJsonContext.Default.ErrorResponse));
    }
}
