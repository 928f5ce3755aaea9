namespace Cast2md.Queue;

public enum JobStatus
{
    Queued,
    Running,
    Completed,
    Failed,
    Cancelled,
}

public static class JobStatuses
{
    public static string ToName(this JobStatus status) =>
        status switch
        {
            JobStatus.Queued => "queued",
            JobStatus.Running => "running",
            JobStatus.Completed => "completed",
            JobStatus.Failed => "failed",
            JobStatus.Cancelled => "cancelled",
            _ => throw new ArgumentOutOfRangeException(nameof(status)),
        };

    public static bool TryParse(string? name, out JobStatus status)
    {
        foreach (var candidate in Enum.GetValues<JobStatus>())
            if (candidate.ToName() == name)
            {
                status = candidate;
                return true;
            }
        status = default;
        return false;
    }

    public static JobStatus Parse(string name) => TryParse(name, out var status) ? status : throw new FormatException($"unknown job status '{name}'");
}
