using Cast2md.Cli.Infrastructure;
using Cast2md.Cli.Progress;
using Cast2md.Queue;
using Cast2md.Services;
using ConsoleAppFramework;

namespace Cast2md.Cli.Commands;

[RegisterCommands]
internal sealed class DownloadCommand
{
    /// <summary>Queue the download of an episode's audio (its transcription follows in the queue). Safe while `serve` runs.</summary>
    /// <param name="episodeId">The episode to download.</param>
    /// <param name="wait">-w, Wait until the audio is downloaded, with progress; runs the download workers in this process unless `serve` runs on the data folder. Exit 1 if it failed.</param>
    /// <param name="timeout">With --wait: stop waiting after this many minutes (exit 1; the job stays queued).</param>
    /// <param name="priority">Job priority; lower runs first.</param>
    /// <param name="progress">Progress on stderr while waiting: auto, bar, plain, json, none.</param>
    /// <param name="json">Print the result as one JSON document on stdout.</param>
    [Command("download")]
    public async Task<int> RunAsync(
        [Argument] long episodeId,
        bool wait = false,
        double? timeout = null,
        int priority = QueueService.DefaultPriority,
        ProgressMode progress = ProgressMode.Auto,
        bool json = false,
        CancellationToken cancellationToken = default
    )
    {
        var options = new WorkOptions(wait, WaitGoal.Audio, FollowUps: false, priority, progress, json, Timeouts.FromMinutes(timeout));
        var core = GlobalOptions.OpenCore();
        var episode = core.Episodes.Get(episodeId) ?? throw new NotFoundException($"Episode {episodeId} not found.");
        var work = new EpisodeWork(core);
        work.QueueOrAdopt(episode, JobType.Download, () => core.Queue.QueueDownload(episodeId, priority));
        return await work.FinishAsync(options, cancellationToken);
    }
}
