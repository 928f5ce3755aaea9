using Cast2md.Queue;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.Queue;

public sealed class JobFailureSpecs
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    [Fact]
    public void I_can_fail_a_job_and_it_waits_out_a_growing_back_off_before_the_next_try()
    {
        // Arrange
        using var db = new TestDatabase();
        var clock = new ManualClock();
        var store = new JobStore(db.Database, new QueueOptions { RetryBaseDelay = TimeSpan.FromMinutes(1), RetryJitter = 0 }, clock);
        store.Enqueue(db.AddEpisode(), JobType.Download);
        var first = store.TryClaim(JobType.Download, "w", Lease)!;

        // Act
        store.Fail(first.Job.Id, first.Token, "connection reset");

        // Assert: not before one minute, then again; the second failure waits five minutes.
        Assert.Null(store.TryClaim(JobType.Download, "w", Lease));
        clock.Advance(TimeSpan.FromMinutes(1));
        var second = store.TryClaim(JobType.Download, "w", Lease)!;
        Assert.Equal(2, second.Job.Attempts);
        store.Fail(second.Job.Id, second.Token, "connection reset");
        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Null(store.TryClaim(JobType.Download, "w", Lease));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.NotNull(store.TryClaim(JobType.Download, "w", Lease));
    }

    [Fact]
    public void I_can_fail_a_job_permanently_and_it_is_not_retried()
    {
        // Arrange
        using var db = new TestDatabase();
        var clock = new ManualClock();
        var store = new JobStore(db.Database, timeProvider: clock);
        store.Enqueue(db.AddEpisode(), JobType.Download);
        var lease = store.TryClaim(JobType.Download, "w", Lease)!;

        // Act
        store.Fail(lease.Job.Id, lease.Token, "HTTP 404 Not Found", permanent: true);

        // Assert
        clock.Advance(TimeSpan.FromDays(30));
        Assert.Null(store.TryClaim(JobType.Download, "w", Lease));
        var job = store.Get(lease.Job.Id)!;
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.True(job.PermanentFailure);
        Assert.Equal("HTTP 404 Not Found", job.ErrorMessage);
    }

    [Fact]
    public void I_can_exhaust_a_jobs_attempts_and_it_fails_for_good()
    {
        // Arrange
        using var db = new TestDatabase();
        var clock = new ManualClock();
        var store = new JobStore(db.Database, new QueueOptions { MaxAttempts = 2 }, clock);
        store.Enqueue(db.AddEpisode(), JobType.Download);

        // Act
        for (var i = 0; i < 2; i++)
        {
            var lease = store.TryClaim(JobType.Download, "w", Lease)!;
            store.Fail(lease.Job.Id, lease.Token, "boom");
            clock.Advance(TimeSpan.FromDays(1));
        }

        // Assert
        Assert.Null(store.TryClaim(JobType.Download, "w", Lease));
        Assert.Equal(1, store.Counts(JobType.Download).Failed);
    }

    [Fact]
    public void I_can_fail_a_job_on_one_worker_and_any_other_worker_can_claim_the_retry()
    {
        // The original kept assigned_node_id = 'local' on a retried job, hiding it from every claim.
        // Arrange
        using var db = new TestDatabase();
        var clock = new ManualClock();
        var store = new JobStore(db.Database, new QueueOptions { RetryJitter = 0 }, clock);
        store.Enqueue(db.AddEpisode(), JobType.Transcribe);
        var local = store.TryClaim(JobType.Transcribe, "local", Lease)!;
        store.Fail(local.Job.Id, local.Token, "whisper crashed");

        // Act
        clock.Advance(TimeSpan.FromHours(1));
        var remote = store.TryClaim(JobType.Transcribe, "node:gpu-box", Lease);

        // Assert
        Assert.NotNull(remote);
        Assert.Equal(local.Job.Id, remote.Job.Id);
    }

    [Fact]
    public void I_can_release_a_job_on_shutdown_and_the_attempt_is_not_counted()
    {
        // Arrange
        using var db = new TestDatabase();
        var store = new JobStore(db.Database);
        store.Enqueue(db.AddEpisode(), JobType.Transcribe);
        var lease = store.TryClaim(JobType.Transcribe, "w", Lease)!;

        // Act
        var released = store.Release(lease.Job.Id, lease.Token, "shutdown");

        // Assert
        Assert.Equal(TransitionResult.Done, released);
        var again = store.TryClaim(JobType.Transcribe, "w2", Lease)!;
        Assert.Equal(1, again.Job.Attempts);
        Assert.Equal(TransitionResult.LeaseLost, store.Complete(lease.Job.Id, lease.Token));
    }

    [Fact]
    public void I_can_restart_the_server_and_every_job_it_left_running_is_queued_again_whoever_held_it()
    {
        // The original requeued only jobs with no assignee and missed its own 'local' ones.
        // Arrange
        using var db = new TestDatabase();
        var store = new JobStore(db.Database);
        store.Enqueue(db.AddEpisode("a"), JobType.Download);
        store.Enqueue(db.AddEpisode("b"), JobType.Transcribe);
        store.TryClaim(JobType.Download, "local", Lease);
        store.TryClaim(JobType.Transcribe, "local:transcribe", Lease);

        // Act
        var requeued = new JobStore(db.Database).RequeueAbandoned();

        // Assert
        Assert.Equal(2, requeued);
        Assert.NotNull(store.TryClaim(JobType.Download, "w", Lease));
        Assert.NotNull(store.TryClaim(JobType.Transcribe, "w", Lease));
    }

    [Fact]
    public void I_can_reset_a_running_job_and_its_worker_loses_the_lease()
    {
        // Arrange
        using var db = new TestDatabase();
        var store = new JobStore(db.Database);
        store.Enqueue(db.AddEpisode(), JobType.Transcribe);
        var lease = store.TryClaim(JobType.Transcribe, "stuck", Lease)!;

        // Act
        var reset = store.Reset(lease.Job.Id);

        // Assert
        Assert.Equal(TransitionResult.Done, reset);
        Assert.False(store.RenewLease(lease.Job.Id, lease.Token, Lease));
        Assert.NotNull(store.TryClaim(JobType.Transcribe, "w", Lease));
        Assert.Equal(TransitionResult.NotFound, store.Reset(999));
    }

    [Fact]
    public void I_can_cancel_a_running_job_and_retry_it_later_with_fresh_attempts()
    {
        // Arrange
        using var db = new TestDatabase();
        var store = new JobStore(db.Database);
        store.Enqueue(db.AddEpisode(), JobType.Download);
        var lease = store.TryClaim(JobType.Download, "w", Lease)!;

        // Act
        var cancelled = store.Cancel(lease.Job.Id);
        var renewed = store.RenewLease(lease.Job.Id, lease.Token, Lease);
        var retried = store.Retry(lease.Job.Id);

        // Assert
        Assert.Equal(TransitionResult.Done, cancelled);
        Assert.False(renewed);
        Assert.Equal(TransitionResult.Done, retried);
        var job = store.Get(lease.Job.Id)!;
        Assert.Equal(JobStatus.Queued, job.Status);
        Assert.Equal(0, job.Attempts);
        Assert.Equal(["queued", "claimed", "cancelled", "retried"], store.History(job.Id).Select(h => h.Event));
    }

    [Fact]
    public void I_can_change_a_queued_jobs_priority_and_it_moves_to_the_front()
    {
        // Arrange
        using var db = new TestDatabase();
        var store = new JobStore(db.Database);
        store.Enqueue(db.AddEpisode("a"), JobType.Download);
        var later = store.Enqueue(db.AddEpisode("b"), JobType.Download).Job;

        // Act
        store.SetPriority(later.Id, 1);

        // Assert
        Assert.Equal(later.Id, store.TryClaim(JobType.Download, "w", Lease)!.Job.Id);
    }
}
