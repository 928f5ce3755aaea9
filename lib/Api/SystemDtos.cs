namespace Cast2md.Api;

// JSON shapes of the system endpoints, as the original serves them, snake_case.

/// <summary>Any error: <c>{"detail": "..."}</c>, as FastAPI writes it.</summary>
public sealed record ErrorResponse(string Detail);

/// <summary>Any plain acknowledgement.</summary>
public sealed record MessageResponse(string Message);

public sealed record HealthResponse(string Status, bool Database, bool Storage, string Message, string Build, string Version);

public sealed record EpisodeCounts(
    int New,
    int AwaitingTranscript,
    int NeedsAudio,
    int Downloading,
    int AudioReady,
    int Transcribing,
    int Completed,
    int Failed,
    int Total
);

public sealed record StatusResponse(
    int FeedCount,
    EpisodeCounts EpisodeCounts,
    string WhisperModel,
    string WhisperDevice,
    string StoragePath,
    string DatabasePath
);
