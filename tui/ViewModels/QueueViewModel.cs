using Cast2md.Api;
using Cast2md.Tui.Client;

namespace Cast2md.Tui.ViewModels;

/// <summary>The Queue tab: running jobs (with progress and their node), queued jobs, then failed jobs with their error.</summary>
public static class QueueViewModel
{
    public static IReadOnlyList<JobRow> Rows(ServerSnapshot snapshot, Glyphs glyphs)
    {
        var rows = new List<JobRow>();
        var nodeNames = snapshot.Nodes.ToDictionary(n => n.Id, n => n.Name);
        if (snapshot.Queue is { } q)
        {
            var types = new (string Name, QueueTypeStatus Queue)[]
            {
                ("transcribe", q.TranscribeQueue),
                ("download", q.DownloadQueue),
                ("transcript", q.TranscriptDownloadQueue),
            };
            foreach (var (name, queue) in types)
            foreach (var job in queue.RunningJobs)
                rows.Add(
                    new JobRow(
                        job.JobId,
                        "running",
                        name,
                        Format.Fit(job.EpisodeTitle, 24),
                        Worker(job.ClaimedBy, nodeNames),
                        Format.Bar(job.ProgressPercent ?? 0, 10, glyphs),
                        job.Priority
                    )
                );
            foreach (var (name, queue) in types)
            foreach (var job in queue.QueuedJobs)
                rows.Add(new JobRow(job.JobId, "queued", name, Format.Fit(job.EpisodeTitle, 24), "", "", job.Priority));
        }
        foreach (var job in snapshot.FailedJobs)
            rows.Add(
                new JobRow(
                    job.JobId,
                    "failed",
                    TypeName(job.JobType),
                    Format.Fit(job.EpisodeTitle, 24),
                    Format.Fit(job.ErrorMessage, 40),
                    "",
                    job.Priority
                )
            );
        return rows;
    }

    /// <summary>"node gpu-box" for a remote node, "local" for this server's own workers.</summary>
    public static string Worker(string? claimedBy, IReadOnlyDictionary<string, string> nodeNames) =>
        claimedBy switch
        {
            null or "" => "",
            _ when nodeNames.TryGetValue(claimedBy, out var name) => name,
            _ when claimedBy.StartsWith("node:", StringComparison.Ordinal) && nodeNames.TryGetValue(claimedBy[5..], out var name) => name,
            _ => claimedBy,
        };

    private static string TypeName(string jobType) => jobType == "transcript_download" ? "transcript" : jobType;

    /// <summary>Which actions make sense for a row: reset and cancel for running, cancel and priority for queued, retry for failed.</summary>
    public static bool Allows(JobRow row, string action) =>
        (row.State, action) switch
        {
            ("running", "reset" or "cancel" or "priority") => true,
            ("queued", "cancel" or "priority") => true,
            ("failed", "retry") => true,
            _ => false,
        };
}
