using Cast2md.Api;
using Cast2md.Json;
using Cast2md.Queue;
using Cast2md.Services;
using Microsoft.AspNetCore.Mvc;

namespace Cast2md.Cli.Server.Endpoints;

internal static partial class QueueEndpoints
{
    private const string Actor = "api";

    /// <summary>The job with its history.</summary>
    private static IResult GetJob(long jobId, [FromServices] ServerServices services)
    {
        var job = RequireJob(services, jobId);
        var history = services.Jobs.History(jobId).Select(JobHistoryItem.From).ToList();
        return ApiResults.Json(new JobDetailResponse(JobResponse.From(job), history), Cast2mdJsonContext.Default.JobDetailResponse);
    }

    private static IResult History(long jobId, [FromServices] ServerServices services)
    {
        RequireJob(services, jobId);
        var history = services.Jobs.History(jobId).Select(JobHistoryItem.From).ToList();
        return ApiResults.Json(new JobHistoryResponse(jobId, history), Cast2mdJsonContext.Default.JobHistoryResponse);
    }

    /// <summary>A failed (or cancelled) job is queued again with its attempts reset; 409 while the episode has another active job of that type.</summary>
    private static IResult Retry(long jobId, [FromServices] ServerServices services) =>
        Transition(services, jobId, services.Core.Outcomes.Retry(jobId, Actor), "queued again", job =>
            job.Status is JobStatus.Failed or JobStatus.Cancelled
                ? ApiErrors.Conflict($"Job {jobId} cannot be retried: episode {job.EpisodeId} already has an active {job.Type.ToName()} job.")
                : ApiErrors.BadRequest($"Job {jobId} is {job.Status.ToName()}: only failed or cancelled jobs can be retried.")
        );

    /// <summary>A running job goes back to the queue at once, whoever holds it (its worker loses the lease).</summary>
    private static IResult Reset(long jobId, [FromServices] ServerServices services) =>
        Transition(services, jobId, services.Core.Outcomes.Reset(jobId, Actor), "reset to queued", job =>
            ApiErrors.BadRequest($"Job {jobId} is {job.Status.ToName()}: only running jobs can be reset.")
        );

    /// <summary>
    /// Cancels a queued or running job (a running job's worker stops at its next lease renewal). The original deleted
    /// queued rows and refused running jobs; here the job stays, cancelled, with its history.
    /// </summary>
    private static IResult Cancel(long jobId, [FromServices] ServerServices services) =>
        Transition(services, jobId, services.Core.Outcomes.Cancel(jobId, Actor), "cancelled", job =>
            ApiErrors.BadRequest($"Job {jobId} is {job.Status.ToName()}: only queued or running jobs can be cancelled.")
        );

    /// <summary><c>{"priority": n}</c>: lower runs first; only for jobs that have not finished.</summary>
    private static IResult SetPriority(long jobId, [FromBody] PriorityRequest request, [FromServices] ServerServices services)
    {
        if (request.Priority is null)
            return ApiErrors.BadRequest("Give the new priority: {\"priority\": 5} (lower runs first).");
        var priority = ApiResults.Priority(request.Priority);
        return Transition(services, jobId, services.Jobs.SetPriority(jobId, priority, Actor), $"priority set to {priority}", job =>
            ApiErrors.BadRequest($"Job {jobId} is {job.Status.ToName()}: only queued or running jobs can change priority.")
        );
    }

    private static IResult Transition(ServerServices services, long jobId, TransitionResult result, string done, Func<Job, IResult> refused)
    {
        switch (result)
        {
            case TransitionResult.Done:
                services.Signal.Notify();
                return ApiResults.Queued($"Job {jobId} {done}.", jobId);
            case TransitionResult.NotFound:
                return ApiErrors.NotFound($"Job {jobId} not found.");
            default:
                return refused(RequireJob(services, jobId));
        }
    }

    private static Job RequireJob(ServerServices services, long jobId) =>
        services.Jobs.Get(jobId) ?? throw new NotFoundException($"Job {jobId} not found.");
}
