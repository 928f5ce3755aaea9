namespace Cast2md.Queue;

/// <summary>
/// Wakes idle workers the moment a job is queued in this process, so they need not wait for their next poll.
/// Jobs queued by another process (a CLI command on the same database) are still found by the poll.
/// </summary>
public sealed class QueueSignal
{
    private TaskCompletionSource _next = NewSource();

    /// <summary>Something was queued: every waiting worker wakes.</summary>
    public void Notify() => Interlocked.Exchange(ref _next, NewSource()).TrySetResult();

    /// <summary>Waits for <see cref="Notify"/> or the timeout, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var next = Volatile.Read(ref _next).Task;
        try
        {
            await next.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException) { }
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
