namespace Cast2md.Transcription;

// The line protocol of `cast2md transcribe --progress json`: every stderr line is one of these objects,
// told apart by "event". A node drives transcription in a child process and reads them.

/// <summary>A diagnostic message ("event": "log").</summary>
public sealed record LogEvent(string Event, string Level, string Message);

/// <summary>Transcription progress ("event": "progress"); percent is monotonic.</summary>
public sealed record ProgressEvent(string Event, double Percent, long PositionMs, long? DurationMs);

/// <summary>The spoken language once known ("event": "language").</summary>
public sealed record LanguageEvent(string Event, string Language, double? Probability);

/// <summary>The last line of a successful run ("event": "done").</summary>
public sealed record DoneEvent(
    string Event,
    int Segments,
    string? Language,
    double? LanguageProbability,
    long? DurationMs,
    string? Output,
    double ElapsedSeconds
);

/// <summary>Model download progress ("event": "download").</summary>
public sealed record DownloadEvent(string Event, double Percent, long Bytes, long? TotalBytes);

/// <summary>
/// Why a run failed ("event": "error"), written just before exit 1. <see cref="Kind"/> lets a parent decide
/// whether retrying can help: "audio" (the input does not decode), "model", "tool" (ffmpeg), "usage" or "error".
/// </summary>
public sealed record ErrorEvent(string Event, string Message, string Kind);
