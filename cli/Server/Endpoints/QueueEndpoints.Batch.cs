using Cast2md.Api;
using Cast2md.Json;
using Cast2md.Queue;
using Microsoft.AspNetCore.Mvc;

namespace Cast2md.Cli.Server.Endpoints;

internal static partial class QueueEndpoints
{
    /// <summary>
    /// The "Get All Transcripts" action: every episode of the feed without a transcript gets its next step (the
    /// publisher's transcript when offered, else download and transcription). Optional body <c>{"priority": n}</c>.
    /// </summary>
    private static IResult ProcessFeed(long id, [FromBody] PriorityRequest? body, [FromServices] ServerServices services)
    {
        var result = services.Core.Queue.ProcessFeed(id, ApiResults.Priority(body?.Priority));
        return Batch(result.Queued, result.Skipped);
    }

    /// <summary><c>{"episode_ids": [..], "priority": 10}</c>: each listed episode without a transcript gets its next step.</summary>
    private static IResult BatchEpisodes([FromBody] BatchEpisodesRequest request, [FromServices] ServerServices services)
    {
        if (request.EpisodeIds is not { Count: > 0 } ids)
            return ApiErrors.BadRequest("Give the episodes: {\"episode_ids\": [1, 2, 3]}.");
        var result = services.Core.Queue.Batch(ids, ApiResults.Priority(request.Priority));
        return Batch(result.Queued, result.Skipped);
    }

    /// <summary>Every failed job is queued again with its attempts reset (skipped when the episode already has an active job of that type).</summary>
    private static IResult RetryFailed([FromServices] ServerServices services)
    {
        int queued = 0,
            skipped = 0;
        foreach (var job in services.Jobs.List(JobStatus.Failed, limit: 10_000))
            if (services.Core.Outcomes.Retry(job.Id, Actor) == TransitionResult.Done)
                queued++;
            else
                skipped++;
        if (queued > 0)
            services.Signal.Notify();
        return Batch(queued, skipped);
    }

    private static IResult CancelQueued([FromServices] ServerServices services)
    {
        var cancelled = services
            .Jobs.List(JobStatus.Queued, limit: 10_000)
            .Count(job => services.Core.Outcomes.Cancel(job.Id, Actor) == TransitionResult.Done);
        return ApiResults.Json(
            new BatchCancelResponse(cancelled, $"Cancelled {cancelled} queued job{(cancelled == 1 ? "" : "s")}."),
            Cast2mdJsonContext.Default.BatchCancelResponse
        );
    }

    private static IResult Batch(int queued, int skipped) =>
        ApiResults.Json(
            new BatchQueueResponse(queued, skipped, $"Queued {queued} job{(queued == 1 ? "" : "s")}, skipped {skipped}."),
            Cast2mdJsonContext.Default.BatchQueueResponse
        );
}
