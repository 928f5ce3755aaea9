using Cast2md.Api;
using Cast2md.Tui.Client;

namespace Cast2md.Tui.ViewModels;

/// <summary>The Status tab: server health, workers, queue counts, throughput, and the remote transcriber nodes.</summary>
public static class StatusViewModel
{
    /// <summary>The line at the top of every tab: where, and whether the last refresh reached the server.</summary>
    public static string Connection(string serverUrl, ServerSnapshot? snapshot, Glyphs glyphs, TimeZoneInfo? zone = null) =>
        snapshot switch
        {
            null => $"{serverUrl}  connecting…",
            { IsReachable: true } =>
                $"{serverUrl}  {glyphs.Online} connected, updated {TimeZoneInfo.ConvertTime(snapshot.FetchedAt, zone ?? TimeZoneInfo.Local):HH:mm:ss}",
            _ => $"{serverUrl}  {glyphs.Offline} unreachable {glyphs.Dash} retrying ({Format.Fit(snapshot.Error, 60)})",
        };

    public static IReadOnlyList<string> Summary(ServerSnapshot snapshot)
    {
        var lines = new List<string>();
        if (snapshot.Health is { } h)
            lines.Add($"Health    {h.Status}: database {(h.Database ? "ok" : "FAIL")}, storage {(h.Storage ? "ok" : "FAIL")}  (cast2md {h.Version})");
        else
            lines.Add("Health    unknown (no answer)");
        if (snapshot.Queue is { } q)
        {
            lines.Add(
                $"Workers   {(q.Running ? "local workers running" : "no local workers")}: transcribe {q.TranscribeWorkers}"
                    + (q.TranscribeWorkersStandby > 0 ? $" (+{q.TranscribeWorkersStandby} standby)" : "")
                    + $", download {q.DownloadWorkers}, transcripts {q.TranscriptDownloadWorkers}"
            );
            lines.Add($"Queue     transcribe {Counts(q.TranscribeQueue)}");
            lines.Add($"          download   {Counts(q.DownloadQueue)}");
            lines.Add($"          transcript {Counts(q.TranscriptDownloadQueue)}");
        }
        if (snapshot.Stats is { } s)
        {
            lines.Add($"Last hour {Window(s.LastHour)}");
            lines.Add($"Last day  {Window(s.Last24h)}");
        }
        return lines;
    }

    private static string Counts(QueueTypeStatus t) => $"{t.Queued} queued, {t.Running} running, {t.Completed} done, {t.Failed} failed";

    private static string Window(QueueStatsWindow w) =>
        w.JobsCompleted == 0
            ? "no transcriptions completed"
            : $"{w.JobsCompleted} transcribed, {Format.Number(w.AudioMinutesProcessed)} audio min, {Format.Number(w.ThroughputRatio, "0.0")}x realtime";

    /// <summary>The "Remote Transcriber Nodes" list: name, status, current job, progress, its ETA, speed, last heartbeat.</summary>
    public static IReadOnlyList<NodeRow> Nodes(ServerSnapshot snapshot, DateTimeOffset now, Glyphs glyphs)
    {
        var titles = snapshot.Queue is { } q ? q.TranscribeQueue.RunningJobs.ToDictionary(j => j.JobId, j => j.EpisodeTitle) : [];
        return snapshot
            .Nodes.OrderBy(n => n.Name, StringComparer.OrdinalIgnoreCase)
            .Select(n => new NodeRow(
                n.Id,
                n.Name,
                $"{(n.Status == "offline" ? glyphs.Offline : glyphs.Online)} {n.Status}",
                n.CurrentJobId is { } id ? Format.Fit($"#{id} {titles.GetValueOrDefault(id)}".TrimEnd(), 16) : glyphs.Dash.ToString(),
                n.CurrentJobId is null ? "" : Format.Bar(n.CurrentJobProgress ?? 0, 10, glyphs),
                Format.Ago(n.LastHeartbeat, now),
                n.Url ?? "",
                n.WhisperModel ?? "",
                n.Speed is { } speed ? $"{Format.Number(speed, "0.0")}x" : "",
                n.CurrentJobId is null ? "" : Format.Duration(n.CurrentJobEtaSeconds)
            ))
            .ToList();
    }
}
