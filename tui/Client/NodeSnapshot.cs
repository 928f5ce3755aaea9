using Cast2md.Api;

namespace Cast2md.Tui.Client;

/// <summary>What the node monitor shows: node.json, the local node's /status and, when the server lets us, its queue.</summary>
public sealed record NodeSnapshot(
    DateTimeOffset FetchedAt,
    NodeMonitorConfig Config,
    NodeStatusResponse? Status,
    string? StatusError,
    QueueStatusResponse? Queue,
    string? QueueError
);

/// <summary>The parts of node.json the monitor shows (never the API key itself).</summary>
public sealed record NodeMonitorConfig(
    string ConfigPath,
    bool Registered,
    string? ServerUrl,
    string? NodeId,
    string? Name,
    string? MaskedApiKey,
    string StatusUrl
);
