namespace Cast2md.Processing;

/// <summary>How many local workers run, and how transcription runs.</summary>
public sealed record WorkerPoolOptions
{
    /// <summary>The cast2md executable that transcribes in a child process (<c>cast2md transcribe --progress json</c>), so a native crash fails one job, not the server.</summary>
    public required string TranscriberExecutable { get; init; }

    /// <summary>Prefix of worker ids in the queue's claimed_by column and history ("local:download-1").</summary>
    public string WorkerPrefix { get; init; } = "local";

    /// <summary>Number of download workers; null reads MAX_CONCURRENT_DOWNLOADS.</summary>
    public int? Downloads { get; init; }

    /// <summary>Number of publisher-transcript workers; null reads MAX_TRANSCRIPT_DOWNLOAD_WORKERS.</summary>
    public int? TranscriptDownloads { get; init; }

    /// <summary>Whether a local transcription worker runs (one: whisper uses every core it is given).</summary>
    public bool Transcribe { get; init; } = true;

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan IdlePoll { get; init; } = TimeSpan.FromSeconds(5);
}
