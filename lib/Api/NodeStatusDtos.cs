namespace Cast2md.Api;

// Node side: what a running node (`cast2md node start`) tells about itself on GET /status, and what the node commands
// print with --json. Never carries the API key.

/// <summary><c>GET /status</c> of a running node: its configuration, current work and counters.</summary>
public sealed record NodeStatusResponse(
    string NodeId,
    string Name,
    string ServerUrl,
    string State,
    NodeJobStatus? CurrentJob,
    NodeJobStatus? PrefetchedJob,
    int JobsCompleted,
    int JobsFailed,
    int ConsecutiveFailures,
    DateTime? LastHeartbeatAt,
    bool ServerReachable,
    int SpooledResults,
    NodeWhisperStatus Whisper,
    NodeAutoTerminationStatus AutoTermination,
    string Version,
    DateTime StartedAt,
    double UptimeSeconds,
    string? StatusUrl
);

/// <summary>A job the node holds; <c>phase</c> is downloading, downloaded (prefetched, waiting), transcribing or uploading.</summary>
public sealed record NodeJobStatus(long JobId, long? EpisodeId, string? EpisodeTitle, string Phase, double ProgressPercent, DateTime StartedAt);

/// <summary>What transcribes: the backend asked for, what really runs (whisper.cpp), model, device and compute type.</summary>
public sealed record NodeWhisperStatus(string Backend, string Engine, string Model, string Device, string ComputeType);

/// <summary>The auto-termination rules in effect (0 disables a rule; <c>persistent</c> disables all).</summary>
public sealed record NodeAutoTerminationStatus(
    bool Persistent,
    int RequiredEmptyChecks,
    double EmptyQueueWaitSeconds,
    double IdleTimeoutMinutes,
    double ServerUnreachableMinutes,
    int MaxConsecutiveFailures
);

/// <summary><c>cast2md node status --json</c>.</summary>
public sealed record CliNodeStatus(
    bool Registered,
    string ConfigPath,
    string? ServerUrl,
    string? NodeId,
    string? Name,
    string? ApiKey,
    bool ServerReachable,
    bool KeyAccepted,
    string? Problem,
    bool NodeRunning,
    NodeStatusResponse? Node
);

/// <summary><c>cast2md node register --json</c> (the key stays in node.json).</summary>
public sealed record CliNodeRegistered(string NodeId, string Name, string ServerUrl, string Url, string ConfigPath);
