using Cast2md.Api;
using Cast2md.Tui.Client;

namespace Cast2md.Tui.ViewModels;

/// <summary>The node monitor's pages: Status (config, worker, current job), Queue and Settings (system, Whisper, node).</summary>
public static class NodeViewModel
{
    public static string Connection(NodeSnapshot? snapshot, Glyphs glyphs, TimeZoneInfo? zone = null) =>
        snapshot switch
        {
            null => "connecting…",
            { Status: { } s } =>
                $"node {s.Name}  {glyphs.Online} {s.State}, updated {TimeZoneInfo.ConvertTime(snapshot.FetchedAt, zone ?? TimeZoneInfo.Local):HH:mm:ss}  server {s.ServerUrl} "
                    + (s.ServerReachable ? "reachable" : $"unreachable {glyphs.Dash} retrying"),
            _ => $"{glyphs.Offline} {Format.Fit(snapshot.StatusError, 70)}",
        };

    public static IReadOnlyList<string> Status(NodeSnapshot snapshot, DateTimeOffset now)
    {
        var c = snapshot.Config;
        var lines = new List<string>
        {
            "Node config",
            $"  Name       {c.Name ?? "(not registered)"}",
            $"  Node id    {c.NodeId ?? ""}",
            $"  Server     {c.ServerUrl ?? ""}",
            $"  API key    {c.MaskedApiKey ?? ""}",
            $"  Config     {c.ConfigPath}",
            "",
            "Worker",
        };
        if (snapshot.Status is { } s)
        {
            lines.Add($"  State      {s.State}, up {Format.Duration(s.UptimeSeconds)}");
            lines.Add($"  Jobs       {s.JobsCompleted} completed, {s.JobsFailed} failed, {s.SpooledResults} results waiting to upload");
            lines.Add($"  Heartbeat  {Format.Ago(s.LastHeartbeatAt, now)}, server {(s.ServerReachable ? "reachable" : "unreachable")}");
            lines.Add("");
            lines.Add("Current job");
            lines.Add(s.CurrentJob is { } j ? $"  #{j.JobId} {Format.Fit(j.EpisodeTitle, 50)} ({j.Phase})" : "  none");
            if (s.PrefetchedJob is { } next)
                lines.Add($"  next: #{next.JobId} {Format.Fit(next.EpisodeTitle, 50)} ({next.Phase})");
        }
        else
        {
            lines.Add($"  {snapshot.StatusError}");
        }
        return lines;
    }

    /// <summary>The current job's progress as a fraction for the progress bar; null when idle.</summary>
    public static float? CurrentProgress(NodeSnapshot snapshot) =>
        snapshot.Status?.CurrentJob is { } j ? (float)Math.Clamp(j.ProgressPercent / 100, 0, 1) : null;

    public static IReadOnlyList<string> QueueSummary(NodeSnapshot snapshot)
    {
        var lines = new List<string>();
        if (snapshot.Queue is { } q)
        {
            var t = q.TranscribeQueue;
            lines.Add($"Transcription queue  {t.Queued} queued, {t.Running} running, {t.Completed} completed, {t.Failed} failed");
        }
        else
        {
            lines.Add($"Transcription queue  {snapshot.QueueError}");
        }
        return lines;
    }

    public static IReadOnlyList<JobRow> QueueRows(NodeSnapshot snapshot, Glyphs glyphs)
    {
        var rows = new List<JobRow>();
        if (snapshot.Queue is { } q)
        {
            foreach (var j in q.TranscribeQueue.RunningJobs)
                rows.Add(
                    new JobRow(
                        j.JobId,
                        "running",
                        "transcribe",
                        Format.Fit(j.EpisodeTitle, 30),
                        j.ClaimedBy ?? "",
                        Format.Bar(j.ProgressPercent ?? 0, 10, glyphs),
                        j.Priority
                    )
                );
            foreach (var j in q.TranscribeQueue.QueuedJobs)
                rows.Add(new JobRow(j.JobId, "queued", "transcribe", Format.Fit(j.EpisodeTitle, 30), "", "", j.Priority));
        }
        else if (snapshot.Status is { } s)
        {
            // Beyond loopback without the admin token: what this node holds.
            foreach (var j in new[] { s.CurrentJob, s.PrefetchedJob }.OfType<NodeJobStatus>())
                rows.Add(
                    new JobRow(
                        j.JobId,
                        j.Phase,
                        "transcribe",
                        Format.Fit(j.EpisodeTitle, 30),
                        "this node",
                        Format.Bar(j.ProgressPercent, 10, glyphs),
                        0
                    )
                );
        }
        return rows;
    }

    public static IReadOnlyList<string> Settings(NodeSnapshot snapshot)
    {
        var lines = new List<string>
        {
            "System",
            $"  Host       {Environment.MachineName}",
            $"  OS         {System.Runtime.InteropServices.RuntimeInformation.OSDescription}",
            $"  CPUs       {Environment.ProcessorCount}",
        };
        if (snapshot.Status is { } s)
        {
            lines.Add($"  cast2md    {s.Version}");
            lines.Add("");
            lines.Add("Whisper");
            lines.Add($"  Model      {s.Whisper.Model}");
            lines.Add($"  Backend    {s.Whisper.Backend} (runs {s.Whisper.Engine})");
            lines.Add($"  Device     {s.Whisper.Device}, {s.Whisper.ComputeType}");
            lines.Add("");
            lines.Add("Node");
            lines.Add($"  Server     {s.ServerUrl}");
            lines.Add($"  Status URL {s.StatusUrl ?? snapshot.Config.StatusUrl}");
            var a = s.AutoTermination;
            lines.Add(
                a.Persistent
                    ? "  Stops      never (persistent)"
                    : $"  Stops      after {a.RequiredEmptyChecks} empty checks, idle {Format.Number(a.IdleTimeoutMinutes)} min, server gone {Format.Number(a.ServerUnreachableMinutes)} min, {a.MaxConsecutiveFailures} failures in a row"
            );
        }
        else
        {
            lines.Add("");
            lines.Add($"Node         {snapshot.StatusError}");
            lines.Add($"Server       {snapshot.Config.ServerUrl}");
        }
        return lines;
    }
}
