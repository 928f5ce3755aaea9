using Cast2md.Queue;
using Microsoft.Extensions.Logging;

namespace Cast2md.NodeRegistry;

/// <summary>
/// Hands transcription jobs to nodes. A claim with a wait (long-poll) parks the node until a job is queued — the
/// queue's in-process signal wakes the dispatcher at once, a one-second look at the database catches jobs queued by
/// other processes — so an idle node starts a new job within milliseconds instead of at its next 5-second poll.
/// Parked nodes are served best priority first, and while a better node is parked a worse one is not given the next
/// job (the original ignored node priority). The claim itself is the queue's one atomic UPDATE, shared with the local
/// worker, so a job is never held twice. Once two or more nodes have reported their speed, which job a node gets depends
/// on it (see <see cref="SpeedRouting"/>): fast nodes take the longest episodes, slow ones shorter ones, and among parked
/// nodes of one priority the fastest is served first.
/// <para>
/// A node that takes spans (it says so in its claim) and holds nothing counts as idle while it is parked
/// (<see cref="IdleTranscribers"/>): a long episode is split only when such workers are there to take its spans.
/// </para>
/// </summary>
public sealed class NodeDispatcher(JobStore jobs, QueueSignal signal, ILogger logger, NodeSpeeds? speeds = null, IdleTranscribers? idle = null)
    : IAsyncDisposable
{
    /// <summary>The speeds nodes report in their heartbeats.</summary>
    public NodeSpeeds Speeds { get; } = speeds ?? new NodeSpeeds();

    /// <summary>
    /// The most transcription jobs one node holds at once (the one it works on and the one it fetches ahead). Decided
    /// by the server in the claim itself, so a client that ignores the rule cannot hoard the queue.
    /// </summary>
    public const int MaxJobsPerNode = 2;

    private static readonly TimeSpan DatabasePoll = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly List<Waiter> _waiters = [];
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _waiterAdded = NewSource();
    private Task? _loop;
    private long _sequence;

    /// <summary>How many nodes are parked waiting for a job (for status pages and tests).</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
                return _waiters.Count;
        }
    }

    /// <summary>
    /// Claims a transcription job for <paramref name="node"/>, waiting up to <paramref name="wait"/> for one; spans of
    /// split episodes only when the node takes them (<paramref name="spans"/>).
    /// </summary>
    public async Task<JobLease?> ClaimAsync(
        TranscriberNode node,
        TimeSpan leaseDuration,
        TimeSpan wait,
        CancellationToken cancellationToken,
        bool spans = false
    )
    {
        var models = node.ServedModels;
        var speed = Speeds.Of(node.WorkerId, node.WhisperModel);
        // The fleet is read only for a node whose speed is known: without one there is no rank to take.
        var position = speed is null ? null : SpeedRouting.Position(speed, [.. Speeds.Fleet().Values]);
        bool betterNodeWaiting;
        lock (_gate)
            betterNodeWaiting = _waiters.Any(w => w.Priority < node.Priority);
        if (
            !betterNodeWaiting
            && jobs.TryClaim(JobType.Transcribe, node.WorkerId, leaseDuration, models.Count > 0 ? models : null, MaxJobsPerNode, position, spans)
                is { } lease
        )
            return lease;
        if (wait <= TimeSpan.Zero)
            return null;

        var waiter = new Waiter(node.WorkerId, node.Priority, models.Count > 0 ? models : null, leaseDuration, Interlocked.Increment(ref _sequence))
        {
            Speed = speed ?? 0,
            Position = position,
            Spans = spans,
        };
        // Parked holding nothing (not fetching ahead while it works): idle, a taker of a span.
        var idleHere = spans && idle is not null && jobs.HeldBy(node.WorkerId).Count == 0;
        if (idleHere)
            idle!.Set(node.WorkerId, true);
        lock (_gate)
        {
            _waiters.Add(waiter);
            // Best priority first; within one, the fastest node first, then the longest waiting.
            _waiters.Sort(
                static (a, b) =>
                    a.Priority != b.Priority ? a.Priority.CompareTo(b.Priority)
                    : a.Speed != b.Speed ? b.Speed.CompareTo(a.Speed)
                    : a.Sequence.CompareTo(b.Sequence)
            );
            _loop ??= Task.Run(() => RunAsync(_stop.Token));
            Interlocked.Exchange(ref _waiterAdded, NewSource()).TrySetResult();
        }

        try
        {
            await Task.WhenAny(waiter.Result.Task, Task.Delay(wait, cancellationToken)).ConfigureAwait(false);
            // Whoever completes the waiter first wins: a job handed out just as the wait ended is still returned.
            if (waiter.Result.TrySetResult(null))
                return null;
            var handed = await waiter.Result.Task.ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested && handed is not null)
            {
                // The node hung up while the job was being handed over: give it straight back.
                jobs.Release(handed.Job.Id, handed.Token, "the node disconnected before the claim answer was sent");
                signal.Notify();
                return null;
            }
            return handed;
        }
        finally
        {
            lock (_gate)
                _waiters.Remove(waiter);
            if (idleHere)
                idle!.Set(node.WorkerId, false);
        }
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            Waiter[] parked;
            Task waiterAdded;
            lock (_gate)
            {
                parked = [.. _waiters.Where(w => !w.Result.Task.IsCompleted)];
                waiterAdded = _waiterAdded.Task;
            }

            try
            {
                if (parked.Length > 0)
                {
                    // Leases of dead nodes run out here too, even when nothing else is claiming.
                    jobs.ReapExpiredLeases();
                    if (jobs.HasRunnable(JobType.Transcribe))
                        HandOut(parked);
                    await Task.WhenAny(signal.WaitAsync(DatabasePoll, stoppingToken), waiterAdded).ConfigureAwait(false);
                }
                else
                {
                    await Task.WhenAny(waiterAdded, Task.Delay(Timeout.Infinite, stoppingToken)).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "node dispatch failed; trying again");
                await Task.Delay(DatabasePoll, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private void HandOut(Waiter[] parked)
    {
        foreach (var waiter in parked)
        {
            if (waiter.Result.Task.IsCompleted)
                continue;
            var lease = jobs.TryClaim(
                JobType.Transcribe,
                waiter.WorkerId,
                waiter.LeaseDuration,
                waiter.Models,
                MaxJobsPerNode,
                waiter.Position,
                waiter.Spans
            );
            if (lease is null)
            {
                if (jobs.HeldBy(waiter.WorkerId).Count >= MaxJobsPerNode)
                    continue; // this node is at its cap; the job may be someone else's
                if (waiter.Models is null && waiter.Spans)
                    return; // nothing runnable for anyone (a node without spans may just have been offered only spans)
                continue; // maybe a job for another node's models
            }
            // No longer idle from this moment: a split decided for this very job must not count it.
            idle?.Set(waiter.WorkerId, false);
            if (!waiter.Result.TrySetResult(lease))
            {
                // The wait ended at this very moment: the job goes back, untouched.
                jobs.Release(lease.Job.Id, lease.Token, "the node stopped waiting");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
            await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed record Waiter(string WorkerId, int Priority, IReadOnlyCollection<string>? Models, TimeSpan LeaseDuration, long Sequence)
    {
        /// <summary>Its reported speed (0 when unknown) and where it takes from the longest-first list (null: oldest first).</summary>
        public double Speed { get; init; }

        public double? Position { get; init; }

        /// <summary>Whether the node takes spans of split episodes.</summary>
        public bool Spans { get; init; }

        public TaskCompletionSource<JobLease?> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
