using System.Collections.Concurrent;
using System.Security.Cryptography;
using Cast2md.Api;
using Cast2md.Json;
using Cast2md.Library;
using Cast2md.Queue;
using Cast2md.Transcripts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Cast2md.Cli.Server.Guards;

namespace Cast2md.Cli.Server.Endpoints;

internal static partial class NodeEndpoints
{
    /// <summary>SHA-256 of served audio files, keyed by path, length and modification time (hashing a 200 MB file per request would hurt).</summary>
    private static readonly ConcurrentDictionary<(string Path, long Length, DateTime Modified), byte[]> AudioDigests = new();

    private static void MapJobs(RouteGroupBuilder nodes)
    {
        nodes.MapGet("/jobs/{jobId:long}/audio", AudioAsync).ForNodes();
        nodes.MapPost("/jobs/{jobId:long}/progress", Progress).ForNodes();
        nodes.MapPost("/jobs/{jobId:long}/complete", CompleteAsync).ForNodes().BodyLimit(BodyLimits.Transcript);
        nodes.MapPost("/jobs/{jobId:long}/fail", Fail).ForNodes();
        nodes.MapPost("/jobs/{jobId:long}/release", Release).ForNodes();
    }

    /// <summary>
    /// The episode's audio, streamed from disk with its real type, length, ETag and SHA-256; <c>Range</c> lets a node
    /// resume a dropped download. (The original always said audio/mpeg and offered nothing to check the file against.)
    /// </summary>
    private static async Task<IResult> AudioAsync(HttpContext context, long jobId, [FromServices] ServerServices services, CancellationToken cancellationToken)
    {
        var node = AuthenticateByKey(context, services);
        var (job, _) = RequireOwnJob(context, services, node, jobId);
        var episode = services.Episodes.Get(job.EpisodeId) ?? throw new NodeAccessException(StatusCodes.Status404NotFound, $"Episode {job.EpisodeId} not found");
        if (episode.AudioPath is null)
            return ApiErrors.NotFound($"Episode {episode.Id} has no downloaded audio");
        var file = new FileInfo(services.Core.Layout.Resolve(episode.AudioPath));
        if (!file.Exists)
            return ApiErrors.NotFound($"The audio file of episode {episode.Id} is missing on the server");

        var digest = await DigestAsync(file, cancellationToken);
        var headers = context.Response.Headers;
        headers["X-Content-SHA256"] = Convert.ToHexStringLower(digest);
        headers["Repr-Digest"] = $"sha-256=:{Convert.ToBase64String(digest)}:";
        return TypedResults.PhysicalFile(file.FullName, AudioContentType(file.Extension), fileDownloadName: file.Name,
            lastModified: file.LastWriteTimeUtc, entityTag: new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(digest.AsSpan(0, 16))}\""),
            enableRangeProcessing: true);
    }

    /// <summary>Progress is a sign of life: it extends the lease. 409 tells the node the job is no longer its own.</summary>
    private static IResult Progress(HttpContext context, long jobId, [FromBody] NodeProgressRequest request, [FromServices] ServerServices services)
    {
        var node = AuthenticateByKey(context, services);
        var (_, token) = RequireOwnJob(context, services, node, jobId);
        services.Nodes.Touch(node.Id);
        if (double.IsNaN(request.ProgressPercent))
            throw new Services.InvalidRequestException("progress_percent must be a number.");
        if (token is null || !services.Jobs.RenewLease(jobId, token, services.RemoteJobTimeout, Math.Clamp(request.ProgressPercent, 0, 100)))
            return ApiErrors.Conflict($"Job {jobId} is no longer held by this node (reset, cancelled or reclaimed): stop working on it.");
        return ApiResults.Message("Progress updated");
    }

    /// <summary>
    /// Stores the node's transcript under the episode's title (every format served from its segments) and completes
    /// the job. A repeated completion is harmless; a late one is accepted while nobody else completed the job.
    /// </summary>
    private static async Task<IResult> CompleteAsync(HttpContext context, long jobId, [FromBody] NodeCompleteRequest request, [FromServices] ServerServices services,
        CancellationToken cancellationToken)
    {
        var node = AuthenticateByKey(context, services);
        var (job, token) = RequireOwnJob(context, services, node, jobId);
        services.Nodes.Touch(node.Id, new Nodes.NodeInfoUpdate(null, null, null, null, null, null));
        if (job.Type != JobType.Transcribe)
            return ApiErrors.BadRequest($"Job {jobId} is a {job.Type.ToName()} job; nodes complete only transcription jobs.");
        if (token is null)
            return ApiErrors.Conflict($"Job {jobId} is no longer held by this node.");
        switch (job.Status)
        {
            // RequireOwnJob proved the token is this node's: completed under it means this is a repeat.
            case JobStatus.Completed when services.Jobs.CompletedToken(jobId) == token:
                return ApiResults.Message("Job already completed");
            case JobStatus.Completed:
                return ApiErrors.Conflict($"Job {jobId} was completed by another worker; this result is not needed.");
            case JobStatus.Cancelled:
                return ApiErrors.Conflict($"Job {jobId} was cancelled; this result is not needed.");
        }

        var transcript = TranscriptFrom(request)
            ?? throw new Services.InvalidRequestException("Send the transcript: {\"transcript\": {\"segments\": [...]}} (or transcript_text).");
        var episode = services.Episodes.Get(job.EpisodeId) ?? throw new NodeAccessException(StatusCodes.Status404NotFound, $"Episode {job.EpisodeId} not found");
        var feed = services.Feeds.Get(episode.FeedId) ?? throw new NodeAccessException(StatusCodes.Status404NotFound, $"Feed {episode.FeedId} not found");
        CheckLength("whisper_model", request.WhisperModel, MaxModelLength);
        var model = request.WhisperModel ?? transcript.Model;
        transcript = transcript with { Title = episode.Title, Source = "whisper", Model = model };

        var path = await services.Core.Transcripts.SaveAsync(episode, feed.DisplayTitle, transcript, cancellationToken);
        var result = services.Jobs.Complete(jobId, token);
        var late = false;
        if (result == TransitionResult.LeaseLost)
        {
            result = services.Jobs.CompleteLate(jobId, token, node.WorkerId);
            late = result == TransitionResult.Done;
        }

        switch (result)
        {
            case TransitionResult.Done:
                services.Episodes.SetTranscript(episode.Id, path, "whisper", model, transcript.Language);
                return ApiResults.Message(late ? "Job completed successfully (late result accepted)" : "Job completed successfully");
            case TransitionResult.AlreadyDone:
                return ApiResults.Message("Job already completed");
            case TransitionResult.NotFound:
                return ApiErrors.NotFound($"Job {jobId} not found");
            default:
                return ApiErrors.Conflict($"Job {jobId} was completed by another worker or cancelled; this result is not needed.");
        }
    }

    /// <summary>
    /// A failed attempt: retried with back-off, or failed for good when <c>retry</c> is false or attempts are used up.
    /// Only a final failure marks the episode failed (the original marked it failed on every retryable failure).
    /// </summary>
    private static IResult Fail(HttpContext context, long jobId, [FromBody] NodeFailRequest request, [FromServices] ServerServices services)
    {
        var node = AuthenticateByKey(context, services);
        var (job, token) = RequireOwnJob(context, services, node, jobId);
        services.Nodes.Touch(node.Id, new Nodes.NodeInfoUpdate(null, null, null, null, null, null));
        var error = string.IsNullOrWhiteSpace(request.ErrorMessage) ? "failed on node " + node.Name : Cut(request.ErrorMessage.Trim(), MaxErrorMessageLength);
        if (token is null || services.Jobs.Fail(jobId, token, $"{error} (node {node.Name})", permanent: !request.Retry) != TransitionResult.Done)
            return ApiErrors.Conflict($"Job {jobId} is no longer held by this node.");
        var after = services.Jobs.Get(jobId);
        if (after?.Status == JobStatus.Failed)
            services.Episodes.SetStatus(job.EpisodeId, EpisodeStatus.Failed, error, permanentFailure: !request.Retry);
        else
            services.Episodes.SetStatus(job.EpisodeId, EpisodeStatus.AudioReady, error);
        services.Signal.Notify();
        return ApiResults.Message("Job marked as failed");
    }

    /// <summary>The node gives the job back untouched (it is stopping): queued again at once, the attempt not counted.</summary>
    private static IResult Release(HttpContext context, long jobId, [FromServices] ServerServices services)
    {
        var node = AuthenticateByKey(context, services);
        var (job, token) = RequireOwnJob(context, services, node, jobId);
        services.Nodes.Touch(node.Id, new Nodes.NodeInfoUpdate(null, null, null, null, null, null));
        if (token is null || services.Jobs.Release(jobId, token, $"released by node {node.Name}") != TransitionResult.Done)
            return ApiErrors.Conflict($"Job {jobId} is no longer held by this node.");
        services.Episodes.SetStatus(job.EpisodeId, EpisodeStatus.AudioReady);
        services.Signal.Notify();
        return ApiResults.Message("Job released back to queue");
    }

    private static Transcript? TranscriptFrom(NodeCompleteRequest request)
    {
        if (request.Transcript is { } document)
            return document.ToTranscript();
        if (string.IsNullOrWhiteSpace(request.TranscriptText))
            return null;
        // The original's nodes send Markdown text only: keep its paragraphs, without times.
        var paragraphs = request.TranscriptText.Replace("\r\n", "\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(p => !p.StartsWith('#'))
            .Select(p => new TranscriptSegment(0, 0, p));
        return new Transcript([.. paragraphs]) { HasTimestamps = false };
    }

    private static async Task<byte[]> DigestAsync(FileInfo file, CancellationToken cancellationToken)
    {
        var key = (file.FullName, file.Length, file.LastWriteTimeUtc);
        if (AudioDigests.TryGetValue(key, out var digest))
            return digest;
        await using var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        digest = await SHA256.HashDataAsync(stream, cancellationToken);
        if (AudioDigests.Count > 1000)
            AudioDigests.Clear();
        return AudioDigests[key] = digest;
    }

    private static string AudioContentType(string extension) => extension.ToLowerInvariant() switch
    {
        ".mp3" => "audio/mpeg",
        ".m4a" or ".m4b" or ".mp4" => "audio/mp4",
        ".aac" => "audio/aac",
        ".ogg" or ".oga" => "audio/ogg",
        ".opus" => "audio/opus",
        ".wav" => "audio/wav",
        ".flac" => "audio/flac",
        ".webm" => "audio/webm",
        _ => "application/octet-stream",
    };
}
