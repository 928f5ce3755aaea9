using Cast2md.Cli.Infrastructure;
using Cast2md.Cli.Progress;
using Cast2md.Library;
using Cast2md.Queue;
using Cast2md.Services;
using ConsoleAppFramework;

namespace Cast2md.Cli.Commands;

[RegisterCommands]
internal sealed class ProcessCommand
{
    /// <summary>Statuses `process --new` picks up: episodes nobody has decided about yet, or whose audio waits for transcription.</summary>
    public static readonly EpisodeStatus[] NewStatuses = [EpisodeStatus.New, EpisodeStatus.NeedsAudio, EpisodeStatus.AudioReady];

    /// <summary>
    /// Get transcripts: download an episode if needed, then transcribe it (`process ID`); every episode of a feed without
    /// a transcript (`--feed ID`, the publisher's transcript where offered); or every episode in state new, needs_audio or
    /// audio_ready across all feeds (`--new`). Safe while `serve` runs. With --wait: exit 0 when all got a transcript,
    /// 1 if any failed, 130 on Ctrl+C; `--new --wait` holds a lock and exits 75 if another such run is still going.
    /// </summary>
    /// <param name="episodeId">The episode to process.</param>
    /// <param name="feed">Process every episode of this feed that has no transcript yet.</param>
    /// <param name="new">Process every episode in state new, needs_audio or audio_ready, in all feeds (for cron, after `feed refresh --all`).</param>
    /// <param name="wait">-w, Wait until the episodes are transcribed, with progress; runs the workers in this process unless `serve` runs on the data folder.</param>
    /// <param name="timeout">With --wait: stop waiting after this many minutes (exit 1; the jobs stay queued).</param>
    /// <param name="priority">Job priority; lower runs first.</param>
    /// <param name="progress">Progress on stderr while waiting: auto (a bar on a terminal, lines when piped), bar, plain, json, none.</param>
    /// <param name="json">Print the result as one JSON document on stdout.</param>
    /// <param name="timestamps">Accepted as the original's -t/--timestamps: transcripts made here always keep their timestamps.</param>
    [Command("process")]
    public async Task<int> RunAsync(
        [Argument] long? episodeId = null,
        long? feed = null,
        bool @new = false,
        bool wait = false,
        double? timeout = null,
        int priority = QueueService.DefaultPriority,
        ProgressMode progress = ProgressMode.Auto,
        bool json = false,
        bool timestamps = false,
        CancellationToken cancellationToken = default
    )
    {
        if ((episodeId is not null ? 1 : 0) + (feed is not null ? 1 : 0) + (@new ? 1 : 0) != 1)
            throw new UsageException("Give exactly one of: an episode id, --feed ID, --new.");
        var options = new WorkOptions(wait, WaitGoal.Transcript, FollowUps: true, priority, progress, json, Timeouts.FromMinutes(timeout));

        using var cronLock =
            @new && wait ? CronLock.AcquireOrReport(GlobalOptions.DataDirectory, "process-new", "cast2md process --new --wait") : null;
        if (@new && wait && cronLock is null)
            return CronLock.BusyExitCode;

        var core = GlobalOptions.OpenCore();
        var work = new EpisodeWork(core);
        if (episodeId is { } id)
        {
            var episode = core.Episodes.Get(id) ?? throw new NotFoundException($"Episode {id} not found.");
            if (episode.TranscriptPath is not null)
            {
                Log.Info($"episode {id} already has a transcript; nothing to do");
                work.Skipped = 1;
            }
            else
            {
                work.QueueOrAdopt(episode, episode.AudioPath is null ? JobType.Download : JobType.Transcribe, () => core.Queue.Process(id, priority));
            }
        }
        else
        {
            var started = DateTimeOffset.UtcNow.AddMilliseconds(-1);
            IReadOnlyList<Episode> selected;
            if (feed is { } feedId)
            {
                core.Queue.ProcessFeed(feedId, priority);
                selected = core.Episodes.ListByFeed(feedId, limit: 10_000).Episodes;
            }
            else
            {
                selected = NewStatuses.SelectMany(s => core.Episodes.ListByStatus(s, limit: 10_000)).ToList();
                core.Queue.Batch(selected.Select(e => e.Id), priority);
            }
            var open = selected.Where(e => e.TranscriptPath is null).ToList();
            work.CollectActive(open, started);
            work.Skipped = selected.Count - work.Count;
        }
        return await work.FinishAsync(options, cancellationToken);
    }
}

/// <summary>Turns a --timeout in minutes into a span; 0 or none means no limit.</summary>
internal static class Timeouts
{
    public static TimeSpan? FromMinutes(double? minutes) =>
        minutes switch
        {
            null or 0 => null,
            < 0 => throw new UsageException("--timeout must not be negative."),
            { } m => TimeSpan.FromMinutes(m),
        };
}
