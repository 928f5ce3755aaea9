namespace Cast2md.NodeRegistry;

/// <summary>What a node says about itself when it registers (or an admin adds it by hand).</summary>
public sealed record NodeRegistration(
    string Name,
    string? Url,
    string? WhisperModel,
    string? WhisperBackend,
    IReadOnlyList<string> Models,
    int Priority
);

/// <summary>What a heartbeat may change: each null field is left as it is.</summary>
public sealed record NodeInfoUpdate(
    string? Name,
    string? Url,
    string? WhisperModel,
    string? WhisperBackend,
    IReadOnlyList<string>? Models,
    long? CurrentJobId
);
