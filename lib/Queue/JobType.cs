namespace Cast2md.Queue;

/// <summary>What a job does; stored and served as the original's snake_case names.</summary>
public enum JobType
{
    Download,
    TranscriptDownload,
    Transcribe,
}

public static class JobTypes
{
    public static string ToName(this JobType type) =>
        type switch
        {
            JobType.Download => "download",
            JobType.TranscriptDownload => "transcript_download",
            JobType.Transcribe => "transcribe",
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };

    public static bool TryParse(string? name, out JobType type)
    {
        switch (name)
        {
            case "download":
                type = JobType.Download;
                return true;
            case "transcript_download":
                type = JobType.TranscriptDownload;
                return true;
            case "transcribe":
                type = JobType.Transcribe;
                return true;
            default:
                type = default;
                return false;
        }
    }

    public static JobType Parse(string name) => TryParse(name, out var type) ? type : throw new FormatException($"unknown job type '{name}'");
}
