using Cast2md.Api;
using Microsoft.Extensions.Logging;

namespace Cast2md.NodeAgent;

public sealed partial class NodeWorker
{
    private string? _lastClaimMessage;
    private bool _claimFailing;

    // A server that answers a waiting claim at once, empty (the original cast2md's ignores `wait`), would be asked again
    // with no pause at all; then this node polls at the plain interval until a claim is held again.
    private bool _claimAnsweredAtOnce;
    private Task? _prefetchTask;

    /// <summary>Takes the prefetched job or claims one, works on it while prefetching the next, until stopped or a rule ends the run.</summary>
    private async Task<NodeExitReason> WorkLoopAsync(CancellationToken stop)
    {
        _state = "idle";
        Task<HeldJob?>? prefetch = null;
        while (true)
        {
            stop.ThrowIfCancellationRequested();
            if (_auto.Check(HoldsJobs) is { } reason)
                return reason;
            if (!HealthyEnoughToClaim())
            {
                if (prefetch is not null && await prefetch.ConfigureAwait(false) is { } ahead)
                    await FailAsync(ahead, $"not started: {Problem}", retry: true, nodeFault: true).ConfigureAwait(false);
                prefetch = null;
                _state = "unhealthy";
                await Task.Delay(_options.PollInterval, _time, stop).ConfigureAwait(false);
                continue;
            }
            if (_state == "unhealthy")
                _state = "idle";

            HeldJob? job;
            if (prefetch is not null)
            {
                job = await prefetch.ConfigureAwait(false);
                prefetch = null;
            }
            else
            {
                job = await ClaimAsync(countEmpty: true, stop).ConfigureAwait(false);
                if (job is null)
                {
                    // Long-poll claims waited on the server already; plain polling (and a failing server) pause here.
                    if (!_options.LongPoll || _claimFailing || _claimAnsweredAtOnce)
                        await Task.Delay(_options.PollInterval, _time, stop).ConfigureAwait(false);
                    continue;
                }
            }
            if (job is null)
                continue;

            if (!job.IsDownloaded && !await DownloadAsync(job, stop).ConfigureAwait(false))
                continue;
            if (job.IsLost)
            {
                Drop(job, "the server took it back while it waited");
                continue;
            }

            lock (_gate)
            {
                _current = job;
                if (_prefetched == job)
                    _prefetched = null;
            }
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            prefetch = PrefetchAsync(done.Task, stop);
            _prefetchTask = prefetch;
            try
            {
                await ProcessAsync(job, stop).ConfigureAwait(false);
            }
            finally
            {
                lock (_gate)
                    _current = null;
                done.TrySetResult();
            }
        }
    }

    /// <summary>While the current job runs, claims the next one and downloads its audio: at most one job ahead.</summary>
    private async Task<HeldJob?> PrefetchAsync(Task currentDone, CancellationToken stop)
    {
        while (!currentDone.IsCompleted)
        {
            // The circuit breaker may already have tripped on the current job's predecessor: do not take more work then.
            if (_auto.Check(holdsJobs: true) is not null || Problem is not null)
                return null;
            var job = await ClaimAsync(countEmpty: false, stop).ConfigureAwait(false);
            if (job is not null)
            {
                lock (_gate)
                    _prefetched = job;
                await DownloadAsync(job, stop).ConfigureAwait(false);
                lock (_gate)
                    if (_prefetched == job && !_held.ContainsKey(job.Id))
                        _prefetched = null;
                return job.IsDownloaded ? job : null;
            }
            if (!_options.LongPoll || _claimFailing || _claimAnsweredAtOnce)
                await Task.WhenAny(Task.Delay(_options.PollInterval, _time, stop), currentDone).ConfigureAwait(false);
        }
        return null;
    }

    /// <summary>One claim. Returns the job (already counted as held), or null when none was handed out or the server failed.</summary>
    private async Task<HeldJob?> ClaimAsync(bool countEmpty, CancellationToken stop)
    {
        Api.NodeClaimResponse response;
        var asked = _time.GetTimestamp();
        try
        {
            response = await _client.ClaimAsync(_options.ClaimWait, stop).ConfigureAwait(false);
        }
        catch (ApiCallException ex) when (ex.StatusCode is 401 or 404) // 404: the server no longer knows this node id
        {
            _logger.LogError("claim: {Message}", ex.Message);
            Terminate(NodeExitReason.Unregistered);
            throw new OperationCanceledException(stop);
        }
        catch (ApiCallException ex)
        {
            _serverReachable = ex.StatusCode is not null;
            if (!_claimFailing)
                _logger.LogWarning("claim failed: {Message} (retrying every {Seconds:0.##} s)", ex.Message, _options.PollInterval.TotalSeconds);
            _claimFailing = true;
            return null;
        }
        if (_claimFailing)
            _logger.LogInformation("the server answers claims again");
        _claimFailing = false;

        if (!response.HasJob || response.JobId is null)
        {
            var atOnce = _options.LongPoll && _options.ClaimWait > TimeSpan.Zero && _time.GetElapsedTime(asked) < _options.ClaimWait / 2;
            if (atOnce && !_claimAnsweredAtOnce)
                _logger.LogInformation(
                    "the server answers a waiting claim at once (as the original cast2md's does); asking every {Seconds:0.##} s",
                    _options.PollInterval.TotalSeconds
                );
            _claimAnsweredAtOnce = atOnce;
            if (countEmpty)
                _auto.EmptyClaim();
            if (response.Message != _lastClaimMessage && !string.IsNullOrEmpty(response.Message))
                _logger.LogInformation("server: {Message}", response.Message);
            _lastClaimMessage = response.Message;
            return null;
        }

        var job = new HeldJob(response, _time.GetUtcNow().UtcDateTime, stop, _time);
        HeldJob? earlier;
        lock (_gate)
        {
            _held.TryGetValue(job.Id, out earlier);
            _held[job.Id] = job;
        }
        if (earlier is not null)
        {
            // The server gave us the job again, so the earlier claim's lease is over (reset, expired): stop that one;
            // it deletes only its own audio file.
            _logger.LogWarning("job {JobId} came again with a new lease; stopping the earlier claim of it", job.Id);
            earlier.MarkLost();
        }
        _auto.JobClaimed();
        _logger.LogInformation("claimed job {JobId} (episode {EpisodeId}: {Title})", job.Id, response.EpisodeId, response.EpisodeTitle);
        return job;
    }
}
