using System.Text.Json.Serialization.Metadata;
using Cast2md.Api;
using Cast2md.Json;
using Cast2md.Transcripts;

namespace Cast2md.Cli.Server.Endpoints;

/// <summary>Small helpers shared by the endpoint classes: JSON through the source-generated context, query checks.</summary>
internal static class ApiResults
{
    public static IResult Json<T>(T value, JsonTypeInfo<T> typeInfo, int statusCode = StatusCodes.Status200OK) =>
        TypedResults.Json(value, typeInfo, statusCode: statusCode);

    public static IResult Message(string message) => Json(new MessageResponse(message), Cast2mdJsonContext.Default.MessageResponse);

    public static IResult Queued(string message, long jobId, int statusCode = StatusCodes.Status200OK) =>
        Json(new QueueJobResponse(message, jobId), Cast2mdJsonContext.Default.QueueJobResponse, statusCode);

    /// <summary>md (the default), txt, srt, vtt or json; anything else is a 400.</summary>
    public static TranscriptFormat Format(string? format)
    {
        if (string.IsNullOrWhiteSpace(format))
            return TranscriptFormat.Md;
        if (TranscriptFormats.TryParse(format, out var parsed))
            return parsed;
        throw new Services.InvalidRequestException($"Unknown format '{format}': use md, txt, srt, vtt or json.");
    }

    public static int Limit(int? limit, int fallback, int max = 10_000, string name = "limit") =>
        limit switch
        {
            null => fallback,
            < 1 => throw new Services.InvalidRequestException($"{name} must be at least 1."),
            _ => Math.Min(limit.Value, max),
        };

    public static int Priority(int? priority) =>
        priority switch
        {
            null => Services.QueueService.DefaultPriority,
            < 0 or > 1000 => throw new Services.InvalidRequestException("priority must be between 0 and 1000 (lower runs first)."),
            _ => priority.Value,
        };
}
