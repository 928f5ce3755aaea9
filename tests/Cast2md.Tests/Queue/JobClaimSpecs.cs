using Cast2md.Queue;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.Queue;

public sealed class JobClaimSpecs
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    [Fact]
    public void I_can_claim_a_job_and_get_a_lease()
    {
        // Arrange
        using var db = new TestDatabase();
        var clock = new ManualClock();
        var store = new JobStore(db.Database, timeProvider: clock);
        var queued = store.Enqueue(db.AddEpisode(), JobType.Transcribe).Job;

        // Act
        var lease = store.TryClaim(JobType.Transcribe, "local:transcribe", Lease);

        // Assert
        Assert.NotNull(lease);
        Assert.Equal(queued.Id, lease.Job.Id);
        Assert.Equal(JobStatus.Running, lease.Job.Status);
        Assert.Equal(1, lease.Job.Attempts);
        Assert.Equal("local:transcribe", lease.Job.ClaimedBy);
        Assert.Equal(clock.GetUtcNow() + Lease, lease.ExpiresAt);
        Assert.Equal(32, lease.Token.Length);
        Assert.Null(store.TryClaim(JobType.Transcribe, "other", Lease));
    }

    [Fact]
    public void I_can_queue_an_episode_twice_and_get_the_one_active_job()
    {
        // Arrange
        using var db = new TestDatabase();
        var store = new JobStore(db.Database);
        var episode = db.AddEpisode();

        // Act
        var first = store.Enqueue(episode, JobType.Download);
        var second = store.Enqueue(episode, JobType.Download);
        var otherType = store.Enqueue(episode, JobType.Transcribe);

        // Assert
        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.Job.Id, second.Job.Id);
        Assert.True(otherType.Created);
    }

    [Fact]
    public void I_can_claim_jobs_by_priority_then_oldest_first()
    {
        // Arrange
        using var db = new TestDatabase();
        var store = new JobStore(db.Database);
        var low = store.Enqueue(db.AddEpisode("a"), JobType.Download, priority: 10).Job;
        var urgentOld = store.Enqueue(db.AddEpisode("b"), JobType.Download, priority: 1).Job;
        var urgentNew = store.Enqueue(db.AddEpisode("c"), JobType.Download, priority: 1).Job;

        // Act
        var order = Enumerable.Range(0, 3).Select(_ => store.TryClaim(JobType.Download, "w", Lease)!.Job.Id).ToList();

        // Assert
        Assert.Equal([urgentOld.Id, urgentNew.Id, low.Id], order);
    }

    [Fact]
    public void I_can_renew_a_lease_while_working_and_keep_the_job_past_its_first_expiry()
    {
        // Arrange
        using var db = new TestDatabase();
        var clock = new ManualClock();
        var store = new JobStore(db.Database, timeProvider: clock);
        store.Enqueue(db.AddEpisode(), JobType.Transcribe);
        var lease = store.TryClaim(JobType.Transcribe, "slow-node", Lease)!;

        // Act: a three-hour job renews every few minutes.
        for (var i = 0; i < 60; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(3));
            Assert.True(store.RenewLease(lease.Job.Id, lease.Token, Lease, progressPercent: i));
            Assert.Null(store.TryClaim(JobType.Transcribe, "other", Lease));
        }

        // Assert
        Assert.Equal(TransitionResult.Done, store.Complete(lease.Job.Id, lease.Token));
        Assert.Equal(1, store.Get(lease.Job.Id)!.Attempts);
    }

    [Fact]
    public void I_can_reclaim_a_job_whose_worker_stopped_renewing_and_the_old_token_is_refused()
    {
        // Arrange
        using var db = new TestDatabase();
        var clock = new ManualClock();
        var store = new JobStore(db.Database, timeProvider: clock);
        store.Enqueue(db.AddEpisode(), JobType.Transcribe);
        var dead = store.TryClaim(JobType.Transcribe, "dead-node", Lease)!;

        // Act
        clock.Advance(Lease + TimeSpan.FromSeconds(1));
        var alive = store.TryClaim(JobType.Transcribe, "alive-node", Lease);

        // Assert
        Assert.NotNull(alive);
        Assert.Equal(dead.Job.Id, alive.Job.Id);
        Assert.Equal(2, alive.Job.Attempts);
        Assert.False(store.RenewLease(dead.Job.Id, dead.Token, Lease));
        Assert.Equal(TransitionResult.LeaseLost, store.Complete(dead.Job.Id, dead.Token));
        Assert.Equal(TransitionResult.Done, store.Complete(alive.Job.Id, alive.Token));
        Assert.Contains(store.History(alive.Job.Id), h => h.Event == "lease_expired" && h.Actor == "dead-node");
    }

    [Fact]
    public void I_can_complete_a_job_twice_and_the_second_time_is_harmless()
    {
        // Arrange
        using var db = new TestDatabase();
        var store = new JobStore(db.Database);
        store.Enqueue(db.AddEpisode(), JobType.Transcribe);
        var lease = store.TryClaim(JobType.Transcribe, "w", Lease)!;

        // Act
        var first = store.Complete(lease.Job.Id, lease.Token);
        var second = store.Complete(lease.Job.Id, lease.Token);

        // Assert
        Assert.Equal(TransitionResult.Done, first);
        Assert.Equal(TransitionResult.AlreadyDone, second);
        Assert.Single(store.History(lease.Job.Id), h => h.Event == "completed");
    }

    [Fact]
    public void I_can_claim_a_thousand_jobs_from_four_threads_and_each_is_claimed_exactly_once()
    {
        // Arrange
        using var db = new TestDatabase();
        var store = new JobStore(db.Database);
        var episodes = Enumerable.Range(0, 1000).Select(i => db.AddEpisode($"e{i}")).ToList();
        foreach (var episode in episodes)
            store.Enqueue(episode, JobType.Download);
        var claimed = new System.Collections.Concurrent.ConcurrentBag<long>();

        // Act
        Parallel.For(0, 4, worker =>
        {
            while (store.TryClaim(JobType.Download, $"w{worker}", Lease) is { } lease)
            {
                claimed.Add(lease.Job.Id);
                Assert.Equal(TransitionResult.Done, store.Complete(lease.Job.Id, lease.Token));
            }
        });

        // Assert
        Assert.Equal(1000, claimed.Count);
        Assert.Equal(1000, claimed.Distinct().Count());
        Assert.Equal(1000, store.Counts(JobType.Download).Completed);
    }
}
