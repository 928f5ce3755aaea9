using Cast2md.Api;
using Microsoft.Extensions.Logging;

namespace Cast2md.NodeAgent;

public sealed partial class NodeWorker
{
    private bool _heartbeatFailing;

    private async Task HeartbeatLoopAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await HeartbeatAsync(stop).ConfigureAwait(false);
            await Task.Delay(_options.HeartbeatInterval, _time, stop).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One heartbeat. The held jobs are read in one snapshot under the lock that claims also take, so a job just claimed or
    /// just handed from prefetch to current is never missing from <c>claimed_job_ids</c> (the original could miss such a job, and the server released it under the node).
    /// </summary>
    private async Task HeartbeatAsync(CancellationToken stop)
    {
        long[] held;
        long? currentId;
        double? progress;
        lock (_gate)
        {
            held = [.. _held.Keys];
            currentId = _current?.Id;
            progress = _current is { } current ? Math.Round(current.ProgressPercent, 1) : null;
        }
        var whisper = _options.Whisper;
        var request = new NodeHeartbeatRequest(
            CurrentName(),
            StatusUrl,
            whisper.Model,
            NodeWhisperOptions.Engine,
            null,
            currentId,
            held,
            progress,
            Problem,
            Speeds()
        );
        try
        {
            var response = await _client.HeartbeatAsync(request, stop).ConfigureAwait(false);
            lock (_gate)
                _lastHeartbeatAt = _time.GetUtcNow();
            if (_heartbeatFailing)
                _logger.LogInformation("heartbeats reach the server again");
            _heartbeatFailing = false;
            foreach (var lost in response.LostJobIds ?? [])
            {
                HeldJob? job;
                lock (_gate)
                    _held.TryGetValue(lost, out job);
                if (job is null)
                    continue;
                _logger.LogWarning("the server says job {JobId} is no longer ours; stopping its work", lost);
                job.MarkLost();
            }
        }
        catch (ApiCallException ex) when (ex.StatusCode is 401 or 404) // 404: the server no longer knows this node id
        {
            _logger.LogError("heartbeat: {Message}", ex.Message);
            Terminate(NodeExitReason.Unregistered);
        }
        catch (ApiCallException ex)
        {
            _serverReachable = ex.StatusCode is not null;
            if (!_heartbeatFailing)
                _logger.LogWarning("heartbeat failed: {Message}", ex.Message);
            _heartbeatFailing = true;
        }
    }

    /// <summary>Gives every held job back (current, prefetched, mid-download) — on a signal and on auto-termination alike.</summary>
    private async Task ReleaseAllAsync()
    {
        HeldJob[] held;
        lock (_gate)
            held = [.. _held.Values];
        foreach (var job in held)
            job.MarkLost(); // stops its download or transcription
        await Task.WhenAll(
                held.Select(async job =>
                {
                    try
                    {
                        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                        await _client.ReleaseAsync(job.Id, job.LeaseToken, timeout.Token).ConfigureAwait(false);
                        _logger.LogInformation("released job {JobId}", job.Id);
                    }
                    catch (Exception ex) when (ex is ApiCallException or OperationCanceledException)
                    {
                        _logger.LogWarning(
                            "could not release job {JobId} ({Message}); it returns to the queue when its lease expires",
                            job.Id,
                            ex.Message
                        );
                    }
                    lock (_gate)
                        RemoveHeld(job);
                })
            )
            .ConfigureAwait(false);
        // The child transcription needs a moment to stop after Ctrl+C; its audio goes once it has.
        foreach (var job in held)
            job.DeleteAudio();
    }
}
