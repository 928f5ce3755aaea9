namespace Cast2md.Library;

/// <summary>
/// Where an episode is in the transcript-first workflow: a publisher transcript is looked for first;
/// without one the episode needs audio, which is downloaded and transcribed on request (or automatically).
/// </summary>
public enum EpisodeStatus
{
    New,
    AwaitingTranscript,
    NeedsAudio,
    Downloading,
    AudioReady,
    Transcribing,
    Completed,
    Failed,
}

public static class EpisodeStatuses
{
    public static string ToName(this EpisodeStatus status) =>
        status switch
        {
            EpisodeStatus.New => "new",
            EpisodeStatus.AwaitingTranscript => "awaiting_transcript",
            EpisodeStatus.NeedsAudio => "needs_audio",
            EpisodeStatus.Downloading => "downloading",
            EpisodeStatus.AudioReady => "audio_ready",
            EpisodeStatus.Transcribing => "transcribing",
            EpisodeStatus.Completed => "completed",
            EpisodeStatus.Failed => "failed",
            _ => throw new ArgumentOutOfRangeException(nameof(status)),
        };

    public static bool TryParse(string? name, out EpisodeStatus status)
    {
        foreach (var candidate in Enum.GetValues<EpisodeStatus>())
            if (candidate.ToName() == name)
            {
                status = candidate;
                return true;
            }
        status = default;
        return false;
    }

    public static EpisodeStatus Parse(string name) =>
        TryParse(name, out var status) ? status : throw new FormatException($"unknown episode status '{name}'");
}
