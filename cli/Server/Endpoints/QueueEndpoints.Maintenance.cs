using System.Globalization;
using Cast2md.Api;
using Cast2md.Json;
using Cast2md.Services;
using Microsoft.AspNetCore.Mvc;

namespace Cast2md.Cli.Server.Endpoints;

/// <summary>Re-transcription, forced transcript retries, the feed/range batches and queue housekeeping, at the original cast2md's paths.</summary>
internal static partial class QueueEndpoints
{
    private static void MapMaintenance(RouteGroupBuilder queue)
    {
        queue.MapPost("/episodes/{id:long}/retranscribe", (long id, [FromBody] PriorityRequest? body, [FromServices] ServerServices services) =>
            QueueOne(
                services.Core.Queue.Retranscribe(id, QueueService.CurrentModel(services.Core.Settings), ApiResults.Priority(body?.Priority)),
                "re-transcription"
            )
        );
        queue.MapPost(
            "/episodes/{id:long}/force-transcript-retry",
            (long id, [FromBody] PriorityRequest? body, [FromServices] ServerServices services) =>
                QueueOne(services.Core.Queue.ForceTranscriptRetry(id, ApiResults.Priority(body?.Priority)), "publisher transcript retry")
        );

        queue.MapPost("/batch/feed/{id:long}/transcribe", (long id, [FromBody] PriorityRequest? body, [FromServices] ServerServices services) =>
            Batch(services.Core.Queue.TranscribeFeed(id, ApiResults.Priority(body?.Priority)))
        );
        queue.MapPost(
            "/batch/feed/{id:long}/transcript-download",
            (long id, [FromBody] PriorityRequest? body, [FromServices] ServerServices services) =>
                Batch(services.Core.Queue.TranscriptDownloadFeed(id, ApiResults.Priority(body?.Priority)))
        );
        queue.MapPost("/batch/feed/{id:long}/retranscribe", (long id, [FromBody] PriorityRequest? body, [FromServices] ServerServices services) =>
            Batch(services.Core.Queue.RetranscribeFeed(id, QueueService.CurrentModel(services.Core.Settings), ApiResults.Priority(body?.Priority)))
        );
        queue.MapPost("/batch/all/process", ([FromBody] PriorityRequest? body, [FromServices] ServerServices services) =>
            Batch(services.Core.Queue.ProcessAllNew(ApiResults.Priority(body?.Priority)))
        );
        queue.MapPost("/batch/range", BatchRange);
        queue.MapPost("/batch/reset-stuck", ResetStuck);
        queue.MapDelete("/batch/completed", DeleteCompleted);
        queue.MapGet("/retranscribe/info/{id:long}", RetranscribeInfo);
        queue.MapDelete("/{jobId:long}/force", ForceDelete);
    }

    private static IResult Batch(BatchResult result) => Batch(result.Queued, result.Skipped);

    /// <summary><c>{feed_id, priority, position_from, position_to, date_from, date_to}</c>: new episodes in the range get download jobs.</summary>
    private static IResult BatchRange([FromBody] BatchRangeRequest request, [FromServices] ServerServices services)
    {
        if (request.FeedId is not { } feedId)
            return ApiErrors.BadRequest("Give the feed: {\"feed_id\": 1, \"position_from\": 1, \"position_to\": 10}.");
        var from = Date(request.DateFrom, "date_from", endOfDay: false);
        var to = Date(request.DateTo, "date_to", endOfDay: true);
        return Batch(
            services.Core.Queue.QueueRange(feedId, request.PositionFrom, request.PositionTo, from, to, ApiResults.Priority(request.Priority))
        );
    }

    /// <summary>Running jobs older than the threshold (default STUCK_THRESHOLD_MINUTES) go back to the queue, or fail at their last attempt.</summary>
    private static IResult ResetStuck([FromQuery(Name = "threshold_minutes")] int? thresholdMinutes, [FromServices] ServerServices services)
    {
        var threshold = Threshold(services, thresholdMinutes);
        var (requeued, failed) = services.Core.Outcomes.ResetStuck(DateTimeOffset.UtcNow - TimeSpan.FromMinutes(threshold), Actor);
        return ApiResults.Json(
            new ResetStuckResponse(
                requeued,
                failed,
                $"Reset {requeued} stuck job{(requeued == 1 ? "" : "s")} to queued, failed {failed} at their last attempt."
            ),
            Cast2mdJsonContext.Default.ResetStuckResponse
        );
    }

    /// <summary>Deletes completed, failed and cancelled jobs (with their history) that finished more than <paramref name="olderThanDays"/> days ago.</summary>
    private static IResult DeleteCompleted([FromQuery(Name = "older_than_days")] int? olderThanDays, [FromServices] ServerServices services)
    {
        var days = olderThanDays ?? 7;
        if (days < 0)
            return ApiErrors.BadRequest("older_than_days must not be negative.");
        var deleted = services.Jobs.DeleteFinished(DateTimeOffset.UtcNow - TimeSpan.FromDays(days));
        return ApiResults.Json(
            new DeleteCompletedResponse(deleted, $"Deleted {deleted} finished job{(deleted == 1 ? "" : "s")} older than {days} days."),
            Cast2mdJsonContext.Default.DeleteCompletedResponse
        );
    }

    private static IResult RetranscribeInfo(long id, [FromServices] ServerServices services)
    {
        var model = QueueService.CurrentModel(services.Core.Settings);
        return ApiResults.Json(
            new RetranscribeInfoResponse(model, services.Core.Queue.RetranscribeCount(id, model)),
            Cast2mdJsonContext.Default.RetranscribeInfoResponse
        );
    }

    /// <summary>Deletes a job in any state; a running job's worker loses its lease and stops.</summary>
    private static IResult ForceDelete(long jobId, [FromServices] ServerServices services) =>
        services.Core.Outcomes.Delete(jobId) ? ApiResults.Message($"Job {jobId} deleted.") : ApiErrors.NotFound($"Job {jobId} not found.");

    /// <summary>An ISO date or time; a bare date is the start (or, for an upper bound, the end) of that UTC day.</summary>
    private static DateTimeOffset? Date(string? text, string name, bool endOfDay)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)
                + (endOfDay ? TimeSpan.FromDays(1) - TimeSpan.FromMilliseconds(1) : TimeSpan.Zero);
        if (
            DateTimeOffset.TryParse(
                text,
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                out var time
            )
        )
            return time;
        throw new InvalidRequestException($"{name} must be an ISO-8601 date, not '{text}'.");
    }
}
