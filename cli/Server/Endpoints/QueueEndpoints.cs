using Cast2md.Api;
using Cast2md.Cli.Server.Guards;
using Cast2md.Json;
using Cast2md.Queue;
using Cast2md.Services;
using Microsoft.AspNetCore.Mvc;

namespace Cast2md.Cli.Server.Endpoints;

/// <summary>
/// /api/queue, with the original cast2md's paths and shapes. Partials: <c>.Jobs</c> (one job: read, retry, reset, cancel, priority),
/// <c>.Overview</c> (status, statistics, stuck and all jobs), <c>.Batch</c>,
/// <c>.Maintenance</c> (re-transcription, transcript retries, feed and range batches, housekeeping).
/// Job ids are <c>{job_id:long}</c> routes, so /status, /stats, /stuck, /all and /batch are never taken for a job id
/// (the original's /stuck and /all were shadowed by /{job_id} for months).
/// </summary>
internal static partial class QueueEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var queue = app.MapServiceGroup("/api/queue").ForAdmin();
        queue.MapGet("", ListQueued);
        queue.MapGet("/status", Status);
        queue.MapGet("/stats", Stats);
        queue.MapGet("/stuck", Stuck);
        queue.MapGet("/all", All);

        queue.MapPost(
            "/episodes/{id:long}/transcript-download",
            (long id, [FromBody] PriorityRequest? body, [FromServices] ServerServices services) =>
                QueueOne(services.Core.Queue.QueueTranscriptDownload(id, ApiResults.Priority(body?.Priority)), "transcript download")
        );
        queue.MapPost("/episodes/{id:long}/download", (long id, [FromBody] PriorityRequest? body, [FromServices] ServerServices services) =>
            QueueOne(services.Core.Queue.QueueDownload(id, ApiResults.Priority(body?.Priority)), "download")
        );
        queue.MapPost("/episodes/{id:long}/transcribe", (long id, [FromBody] PriorityRequest? body, [FromServices] ServerServices services) =>
            QueueOne(services.Core.Queue.QueueTranscribe(id, ApiResults.Priority(body?.Priority), body?.Model), "transcription")
        );
        queue.MapPost("/episodes/{id:long}/process", (long id, [FromBody] PriorityRequest? body, [FromServices] ServerServices services) =>
            QueueOne(services.Core.Queue.Process(id, ApiResults.Priority(body?.Priority)), "processing")
        );

        queue.MapPost("/batch/feed/{id:long}/process", ProcessFeed);
        queue.MapPost("/batch/episodes", BatchEpisodes);
        queue.MapPost("/batch/retry-failed", RetryFailed);
        queue.MapDelete("/batch/queued", CancelQueued);
        MapMaintenance(queue);

        queue.MapGet("/{jobId:long}", GetJob);
        queue.MapGet("/{jobId:long}/history", History);
        queue.MapPatch("/{jobId:long}", SetPriority);
        queue.MapPost("/{jobId:long}/retry", Retry);
        queue.MapPost("/{jobId:long}/reset", Reset);
        queue.MapPost("/{jobId:long}/cancel", Cancel);
        queue.MapDelete("/{jobId:long}", Cancel);
    }

    /// <summary>Queued jobs that may run now, in the order workers take them.</summary>
    private static IResult ListQueued([FromQuery(Name = "job_type")] string? jobType, int? limit, [FromServices] ServerServices services)
    {
        var type = ParseType(jobType);
        var now = DateTimeOffset.UtcNow;
        var jobs = services
            .Jobs.List(JobStatus.Queued, type, limit: 10_000)
            .Where(j => j.RunAfter <= now)
            .Take(ApiResults.Limit(limit, 100))
            .Select(JobResponse.From)
            .ToList();
        return ApiResults.Json(new JobListResponse(jobs), Cast2mdJsonContext.Default.JobListResponse);
    }

    private static IResult QueueOne(Job job, string what) =>
        ApiResults.Queued($"Queued {what} of episode {job.EpisodeId} (job {job.Id}, {job.Type.ToName()}).", job.Id);

    private static JobType? ParseType(string? jobType)
    {
        if (string.IsNullOrWhiteSpace(jobType))
            return null;
        return JobTypes.TryParse(jobType, out var type)
            ? type
            : throw new InvalidRequestException($"Unknown job type '{jobType}': use download, transcript_download or transcribe.");
    }
}
