using Cast2md.Api;
using Cast2md.Transcripts;
using Microsoft.Extensions.Logging;

namespace Cast2md.NodeAgent;

/// <summary>What became of one upload attempt.</summary>
public enum UploadOutcome
{
    /// <summary>200: the server has it (or had it already). Spool entry deleted.</summary>
    Delivered,

    /// <summary>409: someone else completed the job, or it was cancelled. Spool entry deleted.</summary>
    Superseded,

    /// <summary>No answer or 5xx: kept, tried again later.</summary>
    Retry,

    /// <summary>Another refusal (403, 404, 422): moved to <c>spool/rejected/</c>.</summary>
    Rejected,

    /// <summary>401: the node's key is no longer valid. Kept.</summary>
    Unauthorized,
}

/// <summary>
/// Uploads spooled results: once at once, then in the background with exponential back-off (1 s … 60 s) until the server
/// answers. At start-up it sends what an earlier run left in the spool before the node claims anything.
/// </summary>
public sealed class ResultUploader(NodeClient client, ResultSpool spool, ILogger logger, TimeProvider? timeProvider = null)
{
    public static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(60);

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private readonly List<SpooledResult> _pending = [];
    private readonly SemaphoreSlim _signal = new(0);

    /// <summary>Raised when the server answers 401.</summary>
    public event Action? Unauthorized;

    public int Pending
    {
        get
        {
            lock (_gate)
                return _pending.Count;
        }
    }

    /// <summary>The next wait after <paramref name="current"/>: doubled, at most <see cref="LongestRetry"/>.</summary>
    public static TimeSpan NextDelay(TimeSpan current) =>
        current < FirstRetry ? FirstRetry : TimeSpan.FromTicks(Math.Min(current.Ticks * 2, LongestRetry.Ticks));

    /// <summary>One attempt; deletes (or rejects) the spool entry when the server's answer is final.</summary>
    public async Task<UploadOutcome> UploadAsync(SpooledResult result, CancellationToken cancellationToken = default)
    {
        try
        {
            await client.CompleteAsync(result.JobId, result.LeaseToken, Request(result), cancellationToken).ConfigureAwait(false);
            spool.Delete(result);
            logger.LogInformation("completed job {JobId}", result.JobId);
            return UploadOutcome.Delivered;
        }
        catch (ApiCallException ex) when (ex.StatusCode == 409)
        {
            spool.Delete(result);
            logger.LogWarning(
                "job {JobId} was completed elsewhere or cancelled ({Message}); our result is dropped",
                result.JobId,
                ex.Detail ?? ex.Message
            );
            return UploadOutcome.Superseded;
        }
        catch (ApiCallException ex) when (ex.StatusCode == 401)
        {
            logger.LogError("uploading job {JobId}: {Message}", result.JobId, ex.Message);
            Unauthorized?.Invoke();
            return UploadOutcome.Unauthorized;
        }
        catch (ApiCallException ex) when (ex.IsTransient)
        {
            logger.LogWarning(
                "uploading job {JobId} failed ({Message}); the result stays in {Spool} and is sent again",
                result.JobId,
                ex.Message,
                spool.Directory
            );
            return UploadOutcome.Retry;
        }
        catch (ApiCallException ex)
        {
            spool.Reject(result);
            logger.LogError(
                "the server refused the result of job {JobId} ({Message}); kept in {Spool}/rejected",
                result.JobId,
                ex.Message,
                spool.Directory
            );
            await ReportRefusalAsync(result, ex, cancellationToken).ConfigureAwait(false);
            return UploadOutcome.Rejected;
        }
    }

    /// <summary>
    /// Both dialects in one body: <c>transcript</c> (timed segments, which our server prefers) and <c>transcript_text</c>,
    /// the Markdown the original's server requires, written without a title as the original's nodes write it.
    /// </summary>
    public static NodeCompleteRequest Request(SpooledResult result) =>
        new(
            TranscriptWriter.Write(result.Transcript.ToTranscript() with { Title = null }, TranscriptFormat.Md),
            result.WhisperModel,
            result.Transcript
        );

    /// <summary>
    /// A refused result is reported as a failed attempt, so the server gives the job to another worker now instead of
    /// waiting for its timeout (the original's server would otherwise re-queue it until its attempts run out).
    /// </summary>
    private async Task ReportRefusalAsync(SpooledResult result, ApiCallException refusal, CancellationToken cancellationToken)
    {
        try
        {
            await client
                .FailAsync(
                    result.JobId,
                    result.LeaseToken,
                    $"the server refused this node's result: {refusal.Detail ?? refusal.Message}",
                    retry: true,
                    cancellationToken
                )
                .ConfigureAwait(false);
        }
        catch (ApiCallException ex)
        {
            // 403/404/409: the job is no longer this node's, which is what the refusal meant.
            logger.LogDebug("reporting the refused result of job {JobId}: {Message}", result.JobId, ex.Message);
        }
    }

    /// <summary>Uploads now; if the server cannot take it yet, queues it for the background loop.</summary>
    public async Task<UploadOutcome> SubmitAsync(SpooledResult result, CancellationToken cancellationToken = default)
    {
        var outcome = await UploadAsync(result, cancellationToken).ConfigureAwait(false);
        if (outcome is UploadOutcome.Retry or UploadOutcome.Unauthorized)
            Enqueue(result);
        return outcome;
    }

    /// <summary>Sends what the spool holds for this node and server (one attempt each, oldest first); what fails waits for the background loop.</summary>
    public async Task ResendSpooledAsync(CancellationToken cancellationToken = default)
    {
        var all = spool.ReadAll();
        var mine = spool.ReadFor(client.Config);
        if (all.Count > mine.Count)
            logger.LogWarning(
                "the spool holds {Count} result(s) for another server or node registration; they are left alone",
                all.Count - mine.Count
            );
        if (mine.Count > 0)
            logger.LogInformation("uploading {Count} spooled result(s) from an earlier run", mine.Count);
        foreach (var result in mine)
            await SubmitAsync(result, cancellationToken).ConfigureAwait(false);
    }

    public void Enqueue(SpooledResult result)
    {
        lock (_gate)
        {
            _pending.RemoveAll(r => r.JobId == result.JobId && r.ServerUrl == result.ServerUrl);
            _pending.Add(result);
        }
        _signal.Release();
    }

    /// <summary>The background loop: retries pending uploads with back-off until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        var delay = TimeSpan.Zero;
        while (!cancellationToken.IsCancellationRequested)
        {
            SpooledResult? next;
            lock (_gate)
                next = _pending.FirstOrDefault();
            if (next is null)
            {
                await _signal.WaitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }
            delay = NextDelay(delay);
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            var outcome = await UploadAsync(next, cancellationToken).ConfigureAwait(false);
            if (outcome is UploadOutcome.Retry or UploadOutcome.Unauthorized)
                continue;
            lock (_gate)
                _pending.Remove(next);
            delay = TimeSpan.Zero;
        }
    }
}
