using System.Text.Json;
using Cast2md.Api;
using Cast2md.Cli.Infrastructure;
using Cast2md.Cli.Output;
using Cast2md.Cli.Progress;
using Cast2md.Json;
using Cast2md.Library;
using Cast2md.Queue;
using Cast2md.Services;

namespace Cast2md.Cli.Commands;

/// <summary>What a waiting command waits for: the episode's transcript (process, transcribe) or its audio (download).</summary>
internal enum WaitGoal
{
    Transcript,
    Audio,
}

/// <summary>
/// Waits for episodes by polling the database (safe beside a running server) until each is done:
/// <list type="bullet">
/// <item>an episode is pending while it has a queued or running job created since the wait began;</item>
/// <item>when none is left, the newest such job decides: failed or cancelled fails the episode; completed succeeds
/// once the goal is met (a transcript, or audio for <see cref="WaitGoal.Audio"/>);</item>
/// <item>with follow-ups (process) an episode that is not there yet gets its next step queued — a download's
/// transcription, the audio after a missing publisher transcript — each step at most once per wait, so a
/// download that chains its own transcription and one that does not both end with a transcript.</item>
/// </list>
/// </summary>
internal sealed class JobWaiter(Cast2mdCore core, WaitGoal goal, bool followUps, int priority, ProgressMode progress)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    private readonly List<Target> _targets = [];
    private readonly ProgressMode _progress = ProgressReporter.Resolve(progress);

    public int Count => _targets.Count;

    /// <summary>Waits on the episode from <paramref name="job"/> on (jobs created before it are history).</summary>
    public void Track(Episode episode, Job job)
    {
        if (_targets.Any(t => t.EpisodeId == episode.Id))
            return;
        var target = new Target(episode.Id, episode.Title, job.Id);
        target.Attempted.Add(job.Type);
        _targets.Add(target);
    }

    /// <summary>Polls until every episode is done or <paramref name="timeout"/> passes (then the rest are "pending").</summary>
    public async Task<IReadOnlyList<CliEpisodeOutcome>> WaitAsync(TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var deadline = timeout is { } t ? DateTimeOffset.UtcNow + t : DateTimeOffset.MaxValue;
        try
        {
            while (true)
            {
                foreach (var target in _targets.Where(t => t.Outcome is null))
                    Evaluate(target);
                Draw();
                if (_targets.All(t => t.Outcome is not null))
                    break;
                if (DateTimeOffset.UtcNow >= deadline)
                {
                    foreach (var target in _targets.Where(t => t.Outcome is null))
                        target.Finish("pending", core.Episodes.Get(target.EpisodeId), "still not done when --timeout passed; its jobs stay queued");
                    break;
                }
                await Task.Delay(PollInterval, cancellationToken);
            }
        }
        finally
        {
            if (_progress == ProgressMode.Bar)
                Log.Locked(ProgressLine.Finish);
        }
        return _targets.Select(t => t.ToOutcome()).ToList();
    }

    private void Evaluate(Target target)
    {
        var episode = core.Episodes.Get(target.EpisodeId);
        if (episode is null)
        {
            target.Finish("failed", null, "the episode was deleted");
            return;
        }
        var jobs = core
            .Jobs.List(episodeId: target.EpisodeId, limit: 100)
            .Where(j => j.Id >= target.FirstJobId && (goal == WaitGoal.Transcript || j.Type == JobType.Download))
            .ToList();
        var active = jobs.Where(j => j.IsActive).OrderBy(j => j.Status == JobStatus.Running ? 0 : 1).ThenByDescending(j => j.Id).FirstOrDefault();
        if (active is not null)
        {
            target.Current = active;
            Report(target, active);
            return;
        }

        var latest = jobs.MaxBy(j => j.Id);
        if (latest is null)
        {
            target.Finish("failed", episode, "its job was deleted");
            return;
        }
        target.Current = latest;
        Report(target, latest);
        if (latest.Status is JobStatus.Failed or JobStatus.Cancelled)
        {
            target.Finish(
                "failed",
                episode,
                $"{latest.Type.ToName()} job {latest.Id} {latest.Status.ToName()}" + (latest.ErrorMessage is { } error ? ": " + error : "")
            );
            return;
        }
        if (IsGoalMet(episode))
        {
            target.Finish("completed", episode, null);
            return;
        }
        if (followUps && episode.TranscriptPath is null && QueueService.NextStep(episode) is { } next && target.Attempted.Add(next))
        {
            var queued = core.Jobs.Enqueue(episode.Id, next, priority, actor: "cli");
            core.Signal.Notify();
            Log.Debug($"episode {episode.Id}: queued its next step, {next.ToName()} job {queued.Job.Id}");
            return;
        }
        target.Finish("failed", episode, $"stopped at status {episode.Status.ToName()}" + (episode.ErrorMessage is { } why ? ": " + why : ""));
    }

    private bool IsGoalMet(Episode episode) => goal == WaitGoal.Audio ? episode.AudioPath is not null : episode.TranscriptPath is not null;

    private int DoneCount => _targets.Count(t => t.Outcome is not null);

    private void Report(Target target, Job job)
    {
        // One line per state change; running progress in steps of 10 %.
        var decile = job.Status == JobStatus.Running ? (int)((job.ProgressPercent ?? 0) / 10) : -1;
        var key = $"{job.Id}:{job.Status}:{decile}:{job.Attempts}";
        if (key == target.LastReported)
            return;
        target.LastReported = key;
        var retry = CliDto.IsWaitingForRetry(job)
            ? $" (attempt {job.Attempts} failed: {job.ErrorMessage}; retry at {TerminalText.Time(job.RunAfter)})"
            : "";
        switch (_progress)
        {
            case ProgressMode.Plain:
                var percent = job.Status == JobStatus.Running && job.ProgressPercent is { } p ? $" {p:0}%" : "";
                Log.Info(
                    $"episode {target.EpisodeId} \"{TerminalText.Short(target.Title, 60)}\": {job.Type.ToName()} job {job.Id} {job.Status.ToName()}{percent}{TerminalText.Clean(retry)}"
                );
                break;
            case ProgressMode.Json:
                Log.WriteRaw(
                    JsonSerializer.Serialize(
                        new CliWaitEvent(
                            "job",
                            target.EpisodeId,
                            job.Id,
                            job.Type.ToName(),
                            job.Status.ToName(),
                            job.ProgressPercent,
                            job.ErrorMessage,
                            DoneCount,
                            _targets.Count
                        ),
                        Cast2mdJsonContext.Default.CliWaitEvent
                    ) + "\n"
                );
                break;
        }
    }

    private void Draw()
    {
        if (_progress != ProgressMode.Bar)
            return;
        const int width = 20;
        var done = DoneCount;
        var filled = _targets.Count == 0 ? width : width * done / _targets.Count;
        var current = _targets.FirstOrDefault(t => t.Outcome is null && t.Current?.Status == JobStatus.Running)
            ?? _targets.FirstOrDefault(t => t.Outcome is null);
        var detail = current?.Current is { } job
            ? $"{job.Type.ToName()} {(job.Status == JobStatus.Running ? $"{job.ProgressPercent ?? 0:0}%" : job.Status.ToName())}: {TerminalText.Short(current.Title, 40)}"
            : "";
        var text = $"waiting [{new string('#', filled)}{new string('-', width - filled)}] {done}/{_targets.Count}  {detail}";
        var max = Math.Max(20, SafeWidth() - 1);
        Log.Locked(() => ProgressLine.Draw(text.Length > max ? text[..max] : text));
    }

    private static int SafeWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 80;
        }
        catch (IOException)
        {
            return 80;
        }
    }

    private sealed class Target(long episodeId, string title, long firstJobId)
    {
        public long EpisodeId { get; } = episodeId;
        public string Title { get; } = title;
        public long FirstJobId { get; } = firstJobId;
        public HashSet<JobType> Attempted { get; } = [];
        public Job? Current { get; set; }
        public string? LastReported { get; set; }
        public string? Outcome { get; private set; }
        private Episode? _episode;
        private string? _error;

        public void Finish(string outcome, Episode? episode, string? error)
        {
            Outcome = outcome;
            _episode = episode;
            _error = error;
        }

        public CliEpisodeOutcome ToOutcome() =>
            new(
                EpisodeId,
                Title,
                Outcome ?? "pending",
                _episode?.Status.ToName() ?? "deleted",
                _error,
                _episode?.AudioPath,
                _episode?.TranscriptPath
            );
    }
}
