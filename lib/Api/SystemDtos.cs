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
)
{
    /// <summary>The counts as `GET /api/status` and `cast2md status` show them, from the library's count per status.</summary>
    public static EpisodeCounts From(IReadOnlyDictionary<Library.EpisodeStatus, int> counts) =>
        new(
            counts[Library.EpisodeStatus.New],
            counts[Library.EpisodeStatus.AwaitingTranscript],
            counts[Library.EpisodeStatus.NeedsAudio],
            counts[Library.EpisodeStatus.Downloading],
            counts[Library.EpisodeStatus.AudioReady],
            counts[Library.EpisodeStatus.Transcribing],
            counts[Library.EpisodeStatus.Completed],
            counts[Library.EpisodeStatus.Failed],
            counts.Values.Sum()
        );
}

public sealed record StatusResponse(
    int FeedCount,
    EpisodeCounts EpisodeCounts,
    string WhisperModel,
    string WhisperDevice,
    string StoragePath,
    string DatabasePath
);
