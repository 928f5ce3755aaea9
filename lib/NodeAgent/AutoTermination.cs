namespace Cast2md.NodeAgent;

/// <summary>
/// Decides when a node ends itself (the four rules of the original: empty queue, idle, server unreachable,
/// consecutive failures). Fed with what happens (empty claims, jobs claimed, jobs finished, server calls); <see cref="Check"/> answers the first rule that holds. Thread-safe.
/// </summary>
/// <remarks>
/// Unlike the original, idle time and server unreachability only count while the node holds no job: a three-hour
/// episode is not idleness, and its result is spooled if the server is away when it finishes. A lost lease is not a
/// failure for the circuit breaker. <c>NODE_PERSISTENT</c> disables all four rules.
/// </remarks>
public sealed class AutoTermination
{
    private readonly NodeOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private DateTimeOffset _lastJobFinished;
    private DateTimeOffset _lastServerSuccess;
    private DateTimeOffset? _lastCountedEmpty;
    private int _emptyChecks;
    private int _consecutiveFailures;

    public AutoTermination(NodeOptions options, TimeProvider? timeProvider = null)
    {
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _lastJobFinished = _lastServerSuccess = _time.GetUtcNow();
    }

    public int ConsecutiveFailures
    {
        get
        {
            lock (_gate)
                return _consecutiveFailures;
        }
    }

    public int EmptyChecks
    {
        get
        {
            lock (_gate)
                return _emptyChecks;
        }
    }

    /// <summary>A claim came back empty. It counts as a check when <c>NODE_EMPTY_QUEUE_WAIT</c> passed since the last counted one
    /// (with long-poll the claim itself waited that long; with plain polling the 5-second polls in between do not count).</summary>
    public void EmptyClaim()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            // 10 % slack: a long-poll answered a moment early still waited the interval.
            if (_lastCountedEmpty is { } last && now - last < _options.EmptyQueueWait * 0.9)
                return;
            _lastCountedEmpty = now;
            _emptyChecks++;
        }
    }

    /// <summary>A job was handed out: the queue is not empty.</summary>
    public void JobClaimed()
    {
        lock (_gate)
        {
            _emptyChecks = 0;
            _lastCountedEmpty = null;
        }
    }

    /// <summary>A job ended: transcribed (<paramref name="succeeded"/>), or failed. A lost lease is neither.</summary>
    public void JobFinished(bool succeeded)
    {
        lock (_gate)
        {
            _lastJobFinished = _time.GetUtcNow();
            _consecutiveFailures = succeeded ? 0 : _consecutiveFailures + 1;
        }
    }

    /// <summary>The server answered (any HTTP answer counts: it is reachable).</summary>
    public void ServerReached()
    {
        lock (_gate)
            _lastServerSuccess = _time.GetUtcNow();
    }

    /// <summary>Whether to end now and why; null to go on. <paramref name="holdsJobs"/>: the node is working on something.</summary>
    public NodeExitReason? Check(bool holdsJobs)
    {
        if (_options.Persistent)
            return null;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (_options.MaxConsecutiveFailures > 0 && _consecutiveFailures >= _options.MaxConsecutiveFailures)
                return NodeExitReason.CircuitBreaker;
            if (holdsJobs)
                return null;
            if (_options.ServerUnreachableTimeout > TimeSpan.Zero && now - _lastServerSuccess >= _options.ServerUnreachableTimeout)
                return NodeExitReason.ServerUnreachable;
            if (_options.RequiredEmptyChecks > 0 && _emptyChecks >= _options.RequiredEmptyChecks)
                return NodeExitReason.EmptyQueue;
            if (_options.IdleTimeout > TimeSpan.Zero && now - _lastJobFinished >= _options.IdleTimeout)
                return NodeExitReason.Idle;
            return null;
        }
    }

    /// <summary>The log line for <paramref name="reason"/>.</summary>
    public string Explain(NodeExitReason reason) =>
        reason switch
        {
            NodeExitReason.EmptyQueue =>
                $"auto-termination: the queue was empty at {_options.RequiredEmptyChecks} consecutive checks {_options.EmptyQueueWait.TotalSeconds:0.##} s apart (NODE_REQUIRED_EMPTY_CHECKS, NODE_EMPTY_QUEUE_WAIT)",
            NodeExitReason.Idle => $"auto-termination: no job finished for {_options.IdleTimeout.TotalMinutes:0.##} min (NODE_IDLE_TIMEOUT_MINUTES)",
            NodeExitReason.ServerUnreachable =>
                $"auto-termination: the server was unreachable for {_options.ServerUnreachableTimeout.TotalMinutes:0.##} min (NODE_SERVER_UNREACHABLE_MINUTES)",
            NodeExitReason.CircuitBreaker =>
                $"auto-termination: {_options.MaxConsecutiveFailures} jobs failed in a row (NODE_MAX_CONSECUTIVE_FAILURES); check the GPU, model and logs",
            NodeExitReason.Unregistered =>
                "the server does not know this node's key any more (deleted or re-registered): re-register with cast2md node register",
            _ => "stopped",
        };
}
