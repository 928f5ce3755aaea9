using System.Collections.Concurrent;
using System.Security.Cryptography;
using Cast2md.Api;
using Cast2md.Cli.Server.Guards;
using Cast2md.Library;
using Cast2md.Queue;
using Cast2md.Transcripts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

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
    private static async Task<IResult> AudioAsync(
        HttpContext context,
        long jobId,
        [FromServices] ServerServices services,
        CancellationToken cancellationToken
    )
    {
        var node = AuthenticateByKey(context, services);
        var (job, _) = RequireOwnJob(context, services, node, jobId);
        var episode = services.Episodes.Get(job.EpisodeId)
            ?? throw new NodeAccessException(StatusCodes.Status404NotFound, $"Episode {job.EpisodeId} not found");
        var file = episode.AudioPath is null ? null : new FileInfo(services.Core.Layout.Resolve(episode.AudioPath));
        if (file is not { Exists: true })
        {
            // The server lost the audio: that is not the node's failure nor the job's. The job goes back without using an
            // attempt and the server downloads the audio again; 409 tells the node to drop the job.
            var token = context.Request.Headers[NodeProtocol.LeaseHeader].FirstOrDefault() ?? services.Jobs.LeaseToken(jobId);
            if (token is not null && job.Status == JobStatus.Running)
                services.Core.Outcomes.AudioLost(jobId, token, $"the audio of episode {episode.Id} is missing on the server; downloading it again");
            return ApiErrors.Conflict(
                $"The audio file of episode {episode.Id} is missing on the server; the job was given back and the audio is downloaded again. Drop this job."
            );
        }

        var digest = await DigestAsync(file, cancellationToken);
        var headers = context.Response.Headers;
        headers["X-Content-SHA256"] = Convert.ToHexStringLower(digest);
        headers["Repr-Digest"] = $"sha-256=:{Convert.ToBase64String(digest)}:";
        return TypedResults.PhysicalFile(
            file.FullName,
            AudioContentType(file.Extension),
            fileDownloadName: file.Name,
            lastModified: file.LastWriteTimeUtc,
            entityTag: new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(digest.AsSpan(0, 16))}\""),
            enableRangeProcessing: true
        );
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
    /// the job. A repeated completion is harmless; a late one is accepted only while it can still be the episode's latest.
    /// </summary>
    private static async Task<IResult> CompleteAsync(
        HttpContext context,
        long jobId,
        [FromBody] NodeCompleteRequest request,
        [FromServices] ServerServices services,
        CancellationToken cancellationToken
    )
    {
        var node = AuthenticateByKey(context, services);
        var (job, token) = RequireOwnJob(context, services, node, jobId);
        services.Nodes.Touch(node.Id, new NodeRegistry.NodeInfoUpdate(null, null, null, null, null, null));
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
        var episode = services.Episodes.Get(job.EpisodeId)
            ?? throw new NodeAccessException(StatusCodes.Status404NotFound, $"Episode {job.EpisodeId} not found");
        var feed = services.Feeds.Get(episode.FeedId)
            ?? throw new NodeAccessException(StatusCodes.Status404NotFound, $"Feed {episode.FeedId} not found");
        CheckLength("whisper_model", request.WhisperModel, MaxModelLength);
        var model = request.WhisperModel ?? transcript.Model;
        transcript = transcript with { Title = episode.Title, Source = "whisper", Model = model };

        // Staged, then committed with the job and the episode in one transaction guarded by the lease (or the late-result
        // rule); a refusal deletes the staged files and changes nothing, a failure to commit answers 500 with nothing
        // changed, so the node keeps its spooled result and sends it again.
        // A span's segments wait for the stitch (its late result is never taken: the span runs again elsewhere).
        var staged = job.IsSpan
            ? services.Core.Transcripts.SpanResult(jobId, token, episode, feed.DisplayTitle, transcript)
            : await services.Core.Transcripts.StageAsync(jobId, token, episode, feed.DisplayTitle, transcript, "whisper", cancellationToken);
        var completion = services.Core.Outcomes.Complete(jobId, token, node.WorkerId, staged, acceptLate: !job.IsSpan);
        return completion.Result switch
        {
            TransitionResult.Done => ApiResults.Message(
                completion.Late ? "Job completed successfully (late result accepted)" : "Job completed successfully"
            ),
            TransitionResult.AlreadyDone => ApiResults.Message("Job already completed"),
            TransitionResult.NotFound => ApiErrors.NotFound($"Job {jobId} not found"),
            _ => ApiErrors.Conflict(
                $"Job {jobId} was completed by another worker, cancelled or superseded by a newer job; this result is not needed."
            ),
        };
    }

    /// <summary>
    /// A failed attempt: retried with back-off, or failed for good when <c>retry</c> is false or attempts are used up.
    /// Only a final failure marks the episode failed (the original marked it failed on every retryable failure).
    /// </summary>
    private static IResult Fail(HttpContext context, long jobId, [FromBody] NodeFailRequest request, [FromServices] ServerServices services)
    {
        var node = AuthenticateByKey(context, services);
        var (job, token) = RequireOwnJob(context, services, node, jobId);
        services.Nodes.Touch(node.Id, new NodeRegistry.NodeInfoUpdate(null, null, null, null, null, null));
        var error = string.IsNullOrWhiteSpace(request.ErrorMessage)
            ? "failed on node " + node.Name
            : Cut(request.ErrorMessage.Trim(), MaxErrorMessageLength);
        if (token is null)
            return ApiErrors.Conflict($"Job {jobId} is no longer held by this node.");
        // A fault of the node itself (model missing, ffmpeg missing, library not loadable, spool not writable) is not the
        // job's: it goes back without using an attempt, and the node reports itself unhealthy and stops claiming.
        var result = request.NodeFault
            ? services.Core.Outcomes.Release(jobId, token, $"node {node.Name} cannot work: {error}")
            : services.Core.Outcomes.Fail(jobId, token, $"{error} (node {node.Name})", permanent: !request.Retry);
        if (result != TransitionResult.Done)
            return ApiErrors.Conflict($"Job {jobId} is no longer held by this node.");
        if (request.NodeFault)
            services.Nodes.SetProblem(node.Id, error);
        return ApiResults.Message(request.NodeFault ? "Job released back to queue (node fault)" : "Job marked as failed");
    }

    /// <summary>The node gives the job back untouched (it is stopping): queued again at once, the attempt not counted.</summary>
    private static IResult Release(HttpContext context, long jobId, [FromServices] ServerServices services)
    {
        var node = AuthenticateByKey(context, services);
        var (job, token) = RequireOwnJob(context, services, node, jobId);
        services.Nodes.Touch(node.Id, new NodeRegistry.NodeInfoUpdate(null, null, null, null, null, null));
        if (token is null || services.Core.Outcomes.Release(jobId, token, $"released by node {node.Name}") != TransitionResult.Done)
            return ApiErrors.Conflict($"Job {jobId} is no longer held by this node.");
        return ApiResults.Message("Job released back to queue");
    }

    private static Transcript? TranscriptFrom(NodeCompleteRequest request)
    {
        if (request.Transcript is { } document)
            return document.ToTranscript();
        if (string.IsNullOrWhiteSpace(request.TranscriptText))
            return null;
        // The original's nodes send Markdown only: its **[MM:SS]** stamps are read back into timed segments, so every
        // export format works; Markdown without stamps is kept as untimed paragraphs.
        return Transcripts.MarkdownTranscriptReader.Read(request.TranscriptText) with { Source = null };
    }

    private static async Task<byte[]> DigestAsync(FileInfo file, CancellationToken cancellationToken)
    {
        var key = (file.FullName, file.Length, file.LastWriteTimeUtc);
        if (AudioDigests.TryGetValue(key, out var digest))
            return digest;
        await using var stream = new FileStream(
            file.FullName,
            FileMode.Open,
            FileAccess.Read,
            FileShare.Read,
            1 << 16,
            FileOptions.Asynchronous | FileOptions.SequentialScan
        );
        digest = await SHA256.HashDataAsync(stream, cancellationToken);
        if (AudioDigests.Count > 1000)
            AudioDigests.Clear();
        return AudioDigests[key] = digest;
    }

    private static string AudioContentType(string extension) =>
        extension.ToLowerInvariant() switch
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
