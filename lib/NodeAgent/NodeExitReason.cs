namespace Cast2md.NodeAgent;

/// <summary>Why <c>cast2md node start</c> ended. Each reason has its own exit code (<see cref="NodeExitCodes"/>).</summary>
public enum NodeExitReason
{
    /// <summary>SIGINT/SIGTERM: held jobs released; exit 130.</summary>
    Stopped,

    /// <summary><c>NODE_REQUIRED_EMPTY_CHECKS</c> consecutive empty claims, <c>NODE_EMPTY_QUEUE_WAIT</c> seconds apart.</summary>
    EmptyQueue,

    /// <summary>No job finished for <c>NODE_IDLE_TIMEOUT_MINUTES</c>.</summary>
    Idle,

    /// <summary>No successful server call for <c>NODE_SERVER_UNREACHABLE_MINUTES</c>.</summary>
    ServerUnreachable,

    /// <summary><c>NODE_MAX_CONSECUTIVE_FAILURES</c> failed jobs in a row (broken GPU protection).</summary>
    CircuitBreaker,

    /// <summary>The server answered 401 (key replaced) or 404 for this node id (deleted).</summary>
    Unregistered,
}

/// <summary>
/// The exit codes of <c>cast2md node start</c> — the one place they are defined. A service manager can tell a
/// deliberate auto-termination (10–13) from a crash (1) and from a node that must be re-registered (14).
/// </summary>
public static class NodeExitCodes
{
    /// <summary>SIGINT or SIGTERM (both arrive as the same cancellation): 128 + SIGINT, as the other commands.</summary>
    public const int Stopped = 130;
    public const int EmptyQueue = 10;
    public const int Idle = 11;
    public const int ServerUnreachable = 12;
    public const int CircuitBreaker = 13;
    public const int Unregistered = 14;

    public static int Of(NodeExitReason reason) =>
        reason switch
        {
            NodeExitReason.EmptyQueue => EmptyQueue,
            NodeExitReason.Idle => Idle,
            NodeExitReason.ServerUnreachable => ServerUnreachable,
            NodeExitReason.CircuitBreaker => CircuitBreaker,
            NodeExitReason.Unregistered => Unregistered,
            _ => Stopped,
        };
}
