using Cast2md.Processing;
using Cast2md.Queue;
using Cast2md.Services;
using Cast2md.Tests.Infra;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Cast2md.Tests.Processing;

public sealed class JobWorkerSpecs
{
    private sealed class Handler(Func<Job, IProgress<double>, CancellationToken, Task> work) : IJobHandler
    {
        public JobType Type => JobType.Download;

        public async Task<JobResult> HandleAsync(JobLease lease, IProgress<double> progress, CancellationToken cancellationToken)
        {
            await work(lease.Job, progress, cancellationToken);
            return JobResult.Nothing;
        }
    }

    private static (JobWorker Worker, CancellationTokenSource Stop, Task Run) Start(
        JobStore jobs,
        Func<Job, IProgress<double>, CancellationToken, Task> work,
        QueueSignal? signal = null
    )
    {
        var worker = new JobWorker(jobs, new Handler(work), "test-worker", signal ?? new QueueSignal(), NullLogger.Instance)
        {
            LeaseDuration = TimeSpan.FromSeconds(1),
            IdlePoll = TimeSpan.FromMilliseconds(50),
        };
        var stop = new CancellationTokenSource();
        return (worker, stop, Task.Run(() => worker.RunAsync(stop.Token)));
    }

    private static async Task<Job> WaitForAsync(JobStore jobs, long id, Func<Job, bool> condition)
    {
        for (var i = 0; i < 200; i++)
        {
            if (jobs.Get(id) is { } job && condition(job))
                return job;
            await Task.Delay(25);
        }
        throw new TimeoutException($"job {id} never reached the expected state: {jobs.Get(id)}");
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_queue_a_job_and_a_worker_completes_it_with_its_progress_kept_alive()
    {
        // Arrange
        using var db = new TestDatabase();
        var jobs = new JobStore(db.Database);
        var signal = new QueueSignal();
        var (_, stop, run) = Start(
            jobs,
            async (_, progress, ct) =>
            {
                // Longer than the one-second lease: only renewals keep it.
                for (var i = 1; i <= 3; i++)
                {
                    await Task.Delay(500, ct);
                    progress.Report(i * 33);
                }
            },
            signal
        );

        // Act
        var id = jobs.Enqueue(db.AddEpisode(), JobType.Download).Job.Id;
        signal.Notify();
        var done = await WaitForAsync(jobs, id, j => j.Status == JobStatus.Completed);
        await stop.CancelAsync();
        await run;

        // Assert
        Assert.Equal(1, done.Attempts);
        Assert.DoesNotContain(jobs.History(id), h => h.Event == "lease_expired");
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_have_a_permanent_failure_fail_the_job_without_retry()
    {
        // Arrange
        using var db = new TestDatabase();
        var jobs = new JobStore(db.Database);
        var (_, stop, run) = Start(jobs, (_, _, _) => throw new JobFailedException("HTTP 404 Not Found", isPermanent: true));

        // Act
        var id = jobs.Enqueue(db.AddEpisode(), JobType.Download).Job.Id;
        var failed = await WaitForAsync(jobs, id, j => j.Status == JobStatus.Failed);
        await stop.CancelAsync();
        await run;

        // Assert
        Assert.True(failed.PermanentFailure);
        Assert.Equal("HTTP 404 Not Found", failed.ErrorMessage);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_stop_a_worker_mid_job_and_the_job_is_released_for_the_next_run()
    {
        // Arrange
        using var db = new TestDatabase();
        var jobs = new JobStore(db.Database);
        var started = new TaskCompletionSource();
        var (_, stop, run) = Start(jobs, async (_, _, ct) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
        });
        var id = jobs.Enqueue(db.AddEpisode(), JobType.Download).Job.Id;
        await started.Task;

        // Act
        await stop.CancelAsync();
        await run;

        // Assert
        var job = jobs.Get(id)!;
        Assert.Equal(JobStatus.Queued, job.Status);
        Assert.Equal(0, job.Attempts);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_cancel_a_job_while_a_worker_holds_it_and_the_worker_stops_working_on_it()
    {
        // Arrange
        using var db = new TestDatabase();
        var jobs = new JobStore(db.Database);
        var started = new TaskCompletionSource();
        var cancelled = new TaskCompletionSource();
        var (_, stop, run) = Start(jobs, async (_, _, ct) =>
        {
            started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                cancelled.TrySetResult();
                throw;
            }
        });
        var id = jobs.Enqueue(db.AddEpisode(), JobType.Download).Job.Id;
        await started.Task;

        // Act
        jobs.Cancel(id);

        // Assert: the next renewal (a fifth of the lease) notices.
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(JobStatus.Cancelled, jobs.Get(id)!.Status);
        await stop.CancelAsync();
        await run;
    }
}
