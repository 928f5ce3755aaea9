namespace Cast2md.NodeRegistry;

/// <summary>A registered transcriber node (the API key is not here: only its hash is stored).</summary>
public sealed record TranscriberNode(
    string Id,
    string Name,
    string? Url,
    string? WhisperModel,
    string? WhisperBackend,
    IReadOnlyList<string> Models,
    int Priority,
    DateTimeOffset? LastHeartbeat,
    long? CurrentJobId,
    DateTimeOffset CreatedAt,
    string? Problem = null
)
{
    /// <summary>Its worker id in the queue's <c>claimed_by</c> column and history.</summary>
    public string WorkerId => WorkerIdOf(Id);

    /// <summary>The models it serves: <see cref="Models"/> and its <see cref="WhisperModel"/>.</summary>
    public IReadOnlyCollection<string> ServedModels =>
        [.. Models.Concat(WhisperModel is { Length: > 0 } m ? [m] : []).Distinct(StringComparer.OrdinalIgnoreCase)];

    public static string WorkerIdOf(string nodeId) => "node:" + nodeId;

    /// <summary>
    /// Offline when silent for longer than the heartbeat timeout; unhealthy when it reported a problem; busy when it
    /// holds a job; online otherwise.
    /// </summary>
    public NodeStatus StatusAt(DateTimeOffset now, TimeSpan heartbeatTimeout, bool holdsJobs) =>
        LastHeartbeat is not { } seen || now - seen > heartbeatTimeout ? NodeStatus.Offline
        : Problem is not null ? NodeStatus.Unhealthy
        : holdsJobs ? NodeStatus.Busy
        : NodeStatus.Online;
}

public enum NodeStatus
{
    Online,
    Busy,
    Offline,
    Unhealthy,
}

public static class NodeStatuses
{
    public static string ToName(this NodeStatus status) =>
        status switch
        {
            NodeStatus.Online => "online",
            NodeStatus.Busy => "busy",
            NodeStatus.Unhealthy => "unhealthy",
            _ => "offline",
        };
}
