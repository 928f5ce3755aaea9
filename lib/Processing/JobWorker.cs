using Cast2md.Queue;
using Cast2md.Services;
using Microsoft.Extensions.Logging;

namespace Cast2md.Processing;

/// <summary>
/// One worker loop: claim a job of its handler's type, renew the lease while the handler runs (every fifth
/// of the lease, carrying progress), then commit its result or fail it through <see cref="JobOutcomes"/>, guarded by
/// the lease. On shutdown the job is released, not failed; when the lease is lost (reset, cancelled, reclaimed) the
/// work stops and its result is dropped — nothing it produced reaches the episode.
/// </summary>
public sealed class JobWorker(JobStore jobs, IJobHandler handler, string workerId, QueueSignal signal, ILogger logger)
{
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan IdlePoll { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Where results and failures are committed (the data folder's one owner of job endings).</summary>
    public JobOutcomes Outcomes { get; init; } = new(jobs, signal);

    public string WorkerId => workerId;

    /// <summary>Whether this worker takes spans of split transcriptions (its handler transcribes a stretch of an episode).</summary>
    public bool ClaimsSpans { get; init; }

    /// <summary>Where this worker says it is idle, when it takes spans (a long episode is split only for idle workers).</summary>
    public IdleTranscribers? Idle { get; init; }

    /// <summary>The job in hand, if any (for status pages).</summary>
    public Job? Current { get; private set; }

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            JobLease? lease;
            try
            {
                lease = jobs.TryClaim(handler.Type, workerId, LeaseDuration, spans: ClaimsSpans);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "{Worker}: could not claim a job", workerId);
                lease = null;
            }

            if (lease is null)
            {
                Idle?.Set(workerId, true);
                try
                {
                    await signal.WaitAsync(IdlePoll, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                continue;
            }

            Idle?.Set(workerId, false);
            await ProcessAsync(lease, stoppingToken);
        }
        Idle?.Set(workerId, false);
    }

    private async Task ProcessAsync(JobLease lease, CancellationToken stoppingToken)
    {
        var job = lease.Job;
        Current = job;
        using var leaseLost = new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, leaseLost.Token);
        var progress = new LatestProgress();
        using var renewal = new PeriodicTimer(LeaseDuration / 5);
        var renewing = RenewUntilDoneAsync(lease, progress, renewal, leaseLost, linked.Token);
        logger.LogInformation(
            "{Worker}: job {Job} ({Type}) for episode {Episode}, attempt {Attempt}",
            workerId,
            job.Id,
            job.Type.ToName(),
            job.EpisodeId,
            job.Attempts
        );
        try
        {
            var result = await handler.HandleAsync(lease, progress, linked.Token);
            linked.Cancel(); // stops the renewal loop
            var completion = Outcomes.Complete(job.Id, lease.Token, workerId, result);
            if (completion.Result is TransitionResult.LeaseLost or TransitionResult.NotFound)
                logger.LogWarning("{Worker}: job {Job} finished after its lease was lost; the result was dropped", workerId, job.Id);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            Outcomes.Release(job.Id, lease.Token, "worker stopped");
            logger.LogInformation("{Worker}: released job {Job} on shutdown", workerId, job.Id);
        }
        catch (OperationCanceledException) when (leaseLost.IsCancellationRequested)
        {
            logger.LogWarning("{Worker}: job {Job} was reset, cancelled or reclaimed; stopped working on it", workerId, job.Id);
        }
        catch (Exception ex)
        {
            var permanent = ex is JobFailedException { IsPermanent: true };
            Outcomes.Fail(job.Id, lease.Token, ex.Message, permanent, (ex as JobFailedException)?.EpisodeStatus);
            logger.LogWarning("{Worker}: job {Job} failed{Permanent}: {Error}", workerId, job.Id, permanent ? " permanently" : "", ex.Message);
        }
        finally
        {
            linked.Cancel();
            await renewing;
            Current = null;
        }
    }

    private async Task RenewUntilDoneAsync(
        JobLease lease,
        LatestProgress progress,
        PeriodicTimer timer,
        CancellationTokenSource leaseLost,
        CancellationToken done
    )
    {
        try
        {
            while (await timer.WaitForNextTickAsync(done))
            {
                bool renewed;
                try
                {
                    renewed = jobs.RenewLease(lease.Job.Id, lease.Token, LeaseDuration, progress.Value);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A busy database must not kill the job: the next tick tries again, and the lease has slack.
                    logger.LogWarning(ex, "{Worker}: lease renewal of job {Job} failed", workerId, lease.Job.Id);
                    continue;
                }
                if (!renewed)
                {
                    leaseLost.Cancel();
                    return;
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    private sealed class LatestProgress : IProgress<double>
    {
        private double _value = -1;

        public double? Value => _value < 0 ? null : _value;

        public void Report(double value) => Volatile.Write(ref _value, Math.Clamp(value, 0, 100));
    }
}
