using Cast2md.Library;
using Cast2md.Queue;
using Cast2md.Services;
using Cast2md.Settings;
using Microsoft.Extensions.Logging;

namespace Cast2md.Processing;

/// <summary>
/// The original cast2md's hourly transcript scheduler: episodes in <c>awaiting_transcript</c> — their feed links
/// a publisher transcript that was not there yet — get a transcript_download job (priority 5) once a day each, and
/// those published more than TRANSCRIPT_RETRY_DAYS ago stop waiting: they need audio (a download is queued with
/// AUTO_TRANSCRIBE=true).
/// <para>
/// "When to retry next" is not a column: it is 24 hours after the episode's last transcript_download job finished
/// (from the jobs table), so the schema stays as it is and a manual retry also counts as the day's attempt.
/// </para>
/// </summary>
public sealed class TranscriptRetryScheduler(Cast2mdCore core, ILogger logger, TimeProvider? timeProvider = null)
{
    /// <summary>How long after a transcript_download attempt the next one is due.</summary>
    public static readonly TimeSpan RetryEvery = TimeSpan.FromDays(1);

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>In <c>serve</c>: the first round after <paramref name="firstDelay"/> (5 minutes), then every <paramref name="interval"/> (an hour).</summary>
    public async Task RunAsync(TimeSpan firstDelay, TimeSpan interval, CancellationToken cancellationToken)
    {
        var delay = firstDelay;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                var (requeued, agedOut) = RunOnce();
                if (requeued + agedOut > 0)
                    logger.LogInformation("transcript retries: {Requeued} queued again, {AgedOut} gave up (need audio)", requeued, agedOut);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "transcript retry round failed");
            }
            delay = interval;
        }
    }

    /// <summary>One round: (episodes queued for another transcript look, episodes that stopped waiting).</summary>
    public (int Requeued, int AgedOut) RunOnce()
    {
        var now = _time.GetUtcNow();
        int requeued = 0,
            agedOut = 0;
        foreach (var episode in core.Episodes.ListByStatus(EpisodeStatus.AwaitingTranscript, limit: 10_000))
        {
            // A job already under way decides for itself.
            if (
                core.Jobs.List(JobStatus.Queued, JobType.TranscriptDownload, episode.Id, limit: 1).Count > 0
                || core.Jobs.List(JobStatus.Running, JobType.TranscriptDownload, episode.Id, limit: 1).Count > 0
            )
                continue;
            if (!IsYoung(core, episode, now) || episode.TranscriptUrl is null)
            {
                NeedsAudio(
                    core,
                    episode,
                    $"no publisher transcript within {core.Settings.GetInt(SettingDefinitions.TranscriptRetryDays)} days",
                    "transcript-retry",
                    logger
                );
                agedOut++;
                continue;
            }
            if (core.Jobs.LastAttempt(episode.Id, JobType.TranscriptDownload) is { } last && now - last < RetryEvery)
                continue;
            if (core.Jobs.Enqueue(episode.Id, JobType.TranscriptDownload, QueueService.TranscriptRetryPriority, actor: "transcript-retry").Created)
                requeued++;
        }
        if (requeued > 0)
            core.Signal.Notify();
        return (requeued, agedOut);
    }

    /// <summary>Published (or, without a date, found) less than TRANSCRIPT_RETRY_DAYS before <paramref name="now"/>.</summary>
    public static bool IsYoung(Cast2mdCore core, Episode episode, DateTimeOffset now) =>
        now - (episode.PublishedAt ?? episode.CreatedAt) < TimeSpan.FromDays(core.Settings.GetInt(SettingDefinitions.TranscriptRetryDays));

    /// <summary>The episode needs audio; with AUTO_TRANSCRIBE=true its download is queued at once.</summary>
    internal static void NeedsAudio(Cast2mdCore core, Episode episode, string reason, string actor, ILogger logger)
    {
        core.Episodes.SetStatus(episode.Id, EpisodeStatus.NeedsAudio, reason);
        logger.LogInformation("episode {Episode} needs audio: {Reason}", episode.Id, reason);
        if (
            core.Settings.GetBool(SettingDefinitions.AutoTranscribe)
            && episode.AudioUrl is not null
            && core.Jobs.Enqueue(episode.Id, JobType.Download, QueueService.AutomaticPriority, actor: actor).Created
        )
            core.Signal.Notify();
    }
}
