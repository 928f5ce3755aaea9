using Cast2md.Api;
using Cast2md.Json;
using Cast2md.Queue;
using Cast2md.Services;
using Cast2md.Settings;
using Microsoft.AspNetCore.Mvc;

namespace Cast2md.Cli.Server.Endpoints;

internal static partial class QueueEndpoints
{
    /// <summary>Per job type: counts, running jobs and the next 20 queued. Worker counts are the configured ones.</summary>
    private static IResult Status([FromServices] ServerServices services)
    {
        var overview = services.Core.Queue.Overview(queuedLimit: 20).ToDictionary(o => o.Type);
        var settings = services.Core.Settings;
        QueueTypeStatus Of(JobType type)
        {
            var o = overview[type];
            return new QueueTypeStatus(
                o.Counts.Queued,
                o.Counts.Running,
                o.Counts.Completed,
                o.Counts.Failed,
                o.Counts.Cancelled,
                o.Running.Select(Summary).ToList(),
                o.Queued.Select(Summary).ToList()
            );
        }
        var response = new QueueStatusResponse(
            Running: services.WorkersRunning,
            DownloadWorkers: settings.GetInt(SettingDefinitions.MaxConcurrentDownloads),
            TranscriptDownloadWorkers: settings.GetInt(SettingDefinitions.MaxTranscriptDownloadWorkers),
            TranscribeWorkers: 1,
            TranscribeWorkersStandby: 0,
            EmbedWorkers: 0,
            DownloadQueue: Of(JobType.Download),
            TranscriptDownloadQueue: Of(JobType.TranscriptDownload),
            TranscribeQueue: Of(JobType.Transcribe),
            EmbedQueue: new QueueTypeStatus(0, 0, 0, 0, 0, [], [])
        );
        return ApiResults.Json(response, Cast2mdJsonContext.Default.QueueStatusResponse);
    }

    /// <summary>Completed transcription jobs of the last hour and day; per worker over the day.</summary>
    private static IResult Stats([FromServices] ServerServices services)
    {
        var now = DateTimeOffset.UtcNow;
        var rows = new List<(string Worker, double Seconds, double AudioSeconds, DateTimeOffset CompletedAt)>();
        using (var connection = services.Database.Connect())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT j.claimed_by, j.started_ms, j.completed_ms, e.duration_seconds
                FROM jobs j LEFT JOIN episodes e ON e.id = j.episode_id
                WHERE j.status = 'completed' AND j.job_type = 'transcribe' AND j.completed_ms >= $from;
                """;
            command.Parameters.AddWithValue("$from", (now - TimeSpan.FromDays(1)).ToUnixTimeMilliseconds());
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var completed = reader.GetInt64(2);
                var started = reader.IsDBNull(1) ? completed : reader.GetInt64(1);
                rows.Add(
                    (
                        reader.IsDBNull(0) ? "unknown" : reader.GetString(0),
                        Math.Max(0, completed - started) / 1000.0,
                        reader.IsDBNull(3) ? 0 : reader.GetDouble(3),
                        DateTimeOffset.FromUnixTimeMilliseconds(completed)
                    )
                );
            }
        }

        static QueueStatsWindow Window(IReadOnlyCollection<(string Worker, double Seconds, double AudioSeconds, DateTimeOffset CompletedAt)> jobs)
        {
            var seconds = jobs.Sum(j => j.Seconds);
            var audioMinutes = jobs.Sum(j => j.AudioSeconds) / 60;
            return new QueueStatsWindow(
                jobs.Count,
                Math.Round(audioMinutes, 2),
                Math.Round(seconds, 2),
                jobs.Count == 0 ? 0 : Math.Round(seconds / jobs.Count, 2),
                seconds > 0 ? Math.Round(audioMinutes / (seconds / 60), 2) : 0
            );
        }

        var byWorker = rows.GroupBy(r => r.Worker)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new WorkerStats(g.Key, g.Key, g.Count(), Math.Round(g.Average(r => r.Seconds), 2)))
            .ToList();
        var response = new QueueStatsResponse(Window(rows.Where(r => r.CompletedAt >= now - TimeSpan.FromHours(1)).ToList()), Window(rows), byWorker);
        return ApiResults.Json(response, Cast2mdJsonContext.Default.QueueStatsResponse);
    }

    /// <summary>Running jobs that started more than <paramref name="thresholdMinutes"/> ago (default STUCK_THRESHOLD_MINUTES).</summary>
    private static IResult Stuck([FromQuery(Name = "threshold_minutes")] int? thresholdMinutes, [FromServices] ServerServices services)
    {
        var threshold = Threshold(services, thresholdMinutes);
        var now = DateTimeOffset.UtcNow;
        var stuck = services
            .Core.Queue.Summaries(services.Jobs.List(JobStatus.Running, limit: 10_000))
            .Where(s => IsStuck(s.Job, threshold, now))
            .Select(s => new StuckJob(
                s.Job.Id,
                s.Job.EpisodeId,
                s.EpisodeTitle,
                s.FeedTitle,
                s.Job.Type.ToName(),
                ApiTime.Utc(s.Job.StartedAt),
                Runtime(s.Job, now) ?? 0,
                s.Job.Attempts,
                s.Job.MaxAttempts,
                s.Job.ClaimedBy
            ))
            .ToList();
        return ApiResults.Json(new StuckJobsResponse(stuck.Count, threshold, stuck), Cast2mdJsonContext.Default.StuckJobsResponse);
    }

    /// <summary>Jobs in any state; <paramref name="status"/> may also be "stuck".</summary>
    private static IResult All(string? status, [FromQuery(Name = "job_type")] string? jobType, int? limit, [FromServices] ServerServices services)
    {
        var type = ParseType(jobType);
        var onlyStuck = status == "stuck";
        JobStatus? jobStatus = null;
        if (!onlyStuck && !string.IsNullOrWhiteSpace(status))
            jobStatus = JobStatuses.TryParse(status, out var parsed)
                ? parsed
                : throw new InvalidRequestException($"Unknown status '{status}': use queued, running, completed, failed, cancelled or stuck.");
        var threshold = Threshold(services, null);
        var now = DateTimeOffset.UtcNow;
        var take = ApiResults.Limit(limit, 100);
        var jobs = onlyStuck
            ? services.Jobs.List(JobStatus.Running, type, limit: 10_000).Where(j => IsStuck(j, threshold, now)).Take(take).ToList()
            : services.Jobs.List(jobStatus, type, limit: take);
        var entries = services
            .Core.Queue.Summaries(jobs)
            .Select(s => new QueueJobEntry(
                s.Job.Id,
                s.Job.EpisodeId,
                s.EpisodeTitle,
                s.FeedTitle,
                s.Job.Type.ToName(),
                s.Job.Status.ToName(),
                IsStuck(s.Job, threshold, now),
                s.Job.Priority,
                s.Job.Attempts,
                s.Job.MaxAttempts,
                ApiTime.Utc(s.Job.CreatedAt),
                ApiTime.Utc(s.Job.RunAfter),
                ApiTime.Utc(s.Job.StartedAt),
                ApiTime.Utc(s.Job.CompletedAt),
                Runtime(s.Job, now),
                s.Job.ErrorMessage,
                s.Job.ClaimedBy,
                s.Job.ProgressPercent
            ))
            .ToList();
        return ApiResults.Json(
            new QueueJobsResponse(entries.Count, entries.Count(e => e.IsStuck), entries),
            Cast2mdJsonContext.Default.QueueJobsResponse
        );
    }

    private static int Threshold(ServerServices services, int? thresholdMinutes) =>
        thresholdMinutes switch
        {
            null => services.Core.Settings.GetInt(SettingDefinitions.StuckThresholdMinutes),
            < 1 => throw new InvalidRequestException("threshold_minutes must be at least 1."),
            _ => thresholdMinutes.Value,
        };

    private static bool IsStuck(Job job, int thresholdMinutes, DateTimeOffset now) =>
        job.Status == JobStatus.Running && job.StartedAt is { } started && now - started > TimeSpan.FromMinutes(thresholdMinutes);

    /// <summary>Seconds a job has run (running) or ran (finished); null before it started.</summary>
    private static double? Runtime(Job job, DateTimeOffset now) =>
        job.StartedAt is { } started
            ? Math.Round(((job.Status == JobStatus.Running ? now : job.CompletedAt ?? now) - started).TotalSeconds, 1)
            : null;

    private static QueueJobSummary Summary(JobSummary s) =>
        new(s.Job.Id, s.Job.EpisodeId, s.EpisodeTitle, s.Job.Priority, s.Job.ClaimedBy, s.Job.ProgressPercent);
}
