using Cast2md.Api;
using Cast2md.Net;
using Cast2md.Transcription;
using Microsoft.Extensions.Logging;

namespace Cast2md.NodeAgent;

public sealed partial class NodeWorker
{
    /// <summary>Fetches the job's audio. False when the job is over for this node (failed, lost); stopping throws.</summary>
    private async Task<bool> DownloadAsync(HeldJob job, CancellationToken stop)
    {
        job.Phase = "downloading";
        // Set before the download starts, so that a drop mid-download deletes the partial file too.
        var target = Path.Combine(_setup.WorkDirectory, $"{job.WorkName}.audio");
        job.AudioPath = target;
        var progress = new InlineProgress<DownloadProgress>(p =>
        {
            if (p.TotalBytes is > 0 and var total)
                job.ProgressPercent = 100.0 * p.BytesReceived / total;
        });
        try
        {
            job.AudioPath = await _fetcher.FetchAsync(job.Id, job.Claim.AudioUrl, job.LeaseToken, progress, target, job.Token).ConfigureAwait(false);
            job.IsDownloaded = true;
            job.ProgressPercent = 0;
            job.Phase = "downloaded";
            _logger.LogInformation("downloaded the audio of job {JobId}", job.Id);
            return true;
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            Drop(job, "the server took it back during the download");
            return false;
        }
        catch (AudioFetchException ex) when (ex.IsLost)
        {
            Drop(job, ex.Message);
            return false;
        }
        catch (AudioFetchException ex) when (ex.StatusCode == 401)
        {
            Terminate(NodeExitReason.Unregistered);
            throw new OperationCanceledException(stop);
        }
        catch (Exception ex) when (ex is AudioFetchException or Net.PartialFileException or IOException or UnauthorizedAccessException)
        {
            await FailAsync(job, $"audio download failed: {ex.Message}", retry: ex is not AudioFetchException { IsPermanent: true })
                .ConfigureAwait(false);
            return false;
        }
    }

    /// <summary>Transcribes in a child process, then spools and uploads the result, or reports the failure.</summary>
    private async Task ProcessAsync(HeldJob job, CancellationToken stop)
    {
        job.Phase = "transcribing";
        var whisper = _options.Whisper;
        var model = string.IsNullOrWhiteSpace(job.Claim.Model) ? whisper.Model : job.Claim.Model;
        var settings = new TranscriberSettings(model, whisper.ComputeType, whisper.Device, whisper.ChunkMinutes)
        {
            ExtraArguments = _setup.TranscriberArguments,
            VoiceActivity = whisper.VoiceActivity,
            Parallel = whisper.Parallel,
            // A span: only its stretch, times sent from the start of the whole audio.
            Range = job.Claim.SpanStartMs is { } spanStart ? new Queue.SpanRange(spanStart, job.Claim.SpanEndMs ?? Queue.SpanRange.OpenEnd) : null,
        };
        _logger.LogInformation("transcribing job {JobId} with {Model}", job.Id, model);
        TranscriberOutcome outcome;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            outcome = await _transcriber
                .RunAsync(
                    job.AudioPath!,
                    job.Claim.EpisodeTitle,
                    settings,
                    _setup.WorkDirectory,
                    new InlineProgress<double>(p => OnProgress(job, p)),
                    job.Token
                )
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            Drop(job, "the server took it back during the transcription");
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            outcome = new TranscriberOutcome(null, null, -1, $"cannot run the transcriber: {ex.Message}", "tool");
        }
        if (!outcome.Succeeded)
        {
            var message = outcome.ErrorMessage ?? "transcription failed";
            if (IsNodeFault(outcome.ErrorKind))
                ReportProblem(message, spool: false);
            await FailAsync(job, message, retry: !outcome.IsPermanent, nodeFault: IsNodeFault(outcome.ErrorKind)).ConfigureAwait(false);
            return;
        }

        RecordSpeed(model, outcome.Transcript!.DurationMs - (settings.Range?.StartMs ?? 0), clock.Elapsed);

        // Spool first: from here on, neither a dying server nor a dying node loses the transcript.
        job.Phase = "uploading";
        job.ProgressPercent = 100;
        var result = new SpooledResult(
            Config.ServerUrl,
            Config.NodeId,
            job.Id,
            job.LeaseToken,
            model,
            outcome.Document!,
            _time.GetUtcNow().UtcDateTime
        );
        try
        {
            await _spool.WriteAsync(result, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Full disk or bad path: the transcript is kept in memory and uploaded from there (retried while the node
            // runs); the node takes no more work until its spool can be written again.
            ReportProblem($"the result spool {_spool.Directory} cannot be written ({ex.Message})", spool: true);
        }
        Forget(job);
        Interlocked.Increment(ref _completed);
        _auto.JobFinished(succeeded: true);
        _logger.LogInformation("transcribed job {JobId}; uploading", job.Id);
        await _uploader.SubmitAsync(result, stop).ConfigureAwait(false);
    }

    private void OnProgress(HeldJob job, double percent)
    {
        job.ProgressPercent = percent;
        if (!job.Throttle.ShouldReport(percent) || !job.TryStartReport())
            return;
        _ = Task.Run(async () =>
        {
            try
            {
                await _client.ProgressAsync(job.Id, job.LeaseToken, percent, job.Token).ConfigureAwait(false);
            }
            catch (ApiCallException ex) when (ex.StatusCode == 409)
            {
                _logger.LogWarning("job {JobId}: the lease is gone ({Message}); stopping its transcription", job.Id, ex.Detail ?? ex.Message);
                job.MarkLost();
            }
            catch (ApiCallException ex) when (ex.StatusCode == 401)
            {
                Terminate(NodeExitReason.Unregistered);
            }
            catch (Exception ex) when (ex is ApiCallException or OperationCanceledException or ObjectDisposedException)
            {
                // A missed progress report costs nothing: the next one (or the heartbeat) keeps the lease.
            }
            finally
            {
                job.EndReport();
            }
        });
    }

    /// <summary>
    /// Reports the failure (retryable unless the audio itself is bad) and counts it for the circuit breaker. A fault of
    /// the node (<paramref name="nodeFault"/>) gives the job back without using one of its attempts.
    /// </summary>
    private async Task FailAsync(HeldJob job, string message, bool retry, bool nodeFault = false)
    {
        if (nodeFault)
            _logger.LogError("released job {JobId}: this node cannot work ({Message})", job.Id, message);
        else
            _logger.LogError("failed job {JobId}: {Message}{Permanent}", job.Id, message, retry ? "" : " (permanent)");
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await _client.FailAsync(job.Id, job.LeaseToken, message, retry, timeout.Token, nodeFault).ConfigureAwait(false);
        }
        catch (ApiCallException ex) when (ex.StatusCode == 401)
        {
            Terminate(NodeExitReason.Unregistered);
        }
        catch (Exception ex) when (ex is ApiCallException or OperationCanceledException)
        {
            _logger.LogWarning("could not report the failure of job {JobId} ({Message}); its lease will expire", job.Id, ex.Message);
        }
        Forget(job);
        job.DeleteAudio();
        Interlocked.Increment(ref _failed);
        _auto.JobFinished(succeeded: false);
    }

    /// <summary>The job is no longer ours (lost lease, reset, cancelled): stop, say so, do not count it as a failure.</summary>
    private void Drop(HeldJob job, string why)
    {
        job.MarkLost();
        Forget(job);
        job.DeleteAudio();
        _logger.LogWarning("lost job {JobId}: {Why}", job.Id, why);
    }

    /// <summary>No longer held: out of claimed_job_ids, audio kept until the caller deletes it.</summary>
    private void Forget(HeldJob job)
    {
        lock (_gate)
        {
            RemoveHeld(job);
            if (_prefetched == job)
                _prefetched = null;
        }
        if (job.Phase == "uploading")
            job.DeleteAudio();
    }

    /// <summary>
    /// Takes this claim (not a later claim of the same job, which may hold its id by now) out of the held jobs. The
    /// caller holds <c>_gate</c>.
    /// </summary>
    private void RemoveHeld(HeldJob job) => ((ICollection<KeyValuePair<long, HeldJob>>)_held).Remove(new(job.Id, job));
}
