using Cast2md.Api;
using Cast2md.Cli.Infrastructure;
using Cast2md.Cli.Output;
using Cast2md.Cli.Progress;
using Cast2md.Json;
using Cast2md.Library;
using Cast2md.Queue;
using Cast2md.Services;

namespace Cast2md.Cli.Commands;

/// <summary>
/// The shared tail of process, download and transcribe: report what was queued and, with --wait, run or watch the
/// workers until the episodes are done. Exit 0 when every episode reached its goal, 1 when any failed or timed out.
/// </summary>
internal sealed class EpisodeWork(Cast2mdCore core)
{
    private readonly List<(Episode Episode, Job Job, bool Created)> _jobs = [];

    /// <summary>Episodes asked for that got no job (already done, or nothing to fetch).</summary>
    public int Skipped { get; set; }

    public int Count => _jobs.Count;

    public void Add(Episode episode, Job job, bool created) => _jobs.Add((episode, job, created));

    /// <summary>Queues with <paramref name="queue"/>; if the episode already has an active job of that kind, waits on that one instead.</summary>
    public void QueueOrAdopt(Episode episode, JobType type, Func<Job> queue)
    {
        try
        {
            Add(episode, queue(), created: true);
        }
        catch (ConflictException) when (ActiveJob(episode.Id, type) is { } existing)
        {
            Log.Info($"episode {episode.Id} already has {existing.Type.ToName()} job {existing.Id} {existing.Status.ToName()}");
            Add(episode, existing, created: false);
        }
    }

    /// <summary>After a batch: every listed episode without its goal that now has an active job is waited on.</summary>
    public void CollectActive(IEnumerable<Episode> episodes, DateTimeOffset batchStarted)
    {
        foreach (var episode in episodes)
            if (ActiveJob(episode.Id, null) is { } job)
                Add(episode, job, created: job.CreatedAt >= batchStarted);
    }

    public Job? ActiveJob(long episodeId, JobType? type) =>
        core
            .Jobs.List(episodeId: episodeId, limit: 100)
            .Where(j => j.IsActive && (type is null || j.Type == type))
            .OrderBy(j => j.Id)
            .FirstOrDefault();

    public async Task<int> FinishAsync(WorkOptions options, CancellationToken cancellationToken)
    {
        var queuedJobs = _jobs.Select(j => new CliQueuedJob(j.Job.Id, j.Episode.Id, j.Job.Type.ToName(), j.Created)).ToList();
        var created = _jobs.Count(j => j.Created);
        if (!options.Json)
            PrintQueued(created);
        if (!options.Wait || _jobs.Count == 0)
        {
            if (options.Json)
                JsonOutput.Write(new CliProcessResult(created, Skipped, queuedJobs, false, null), Cast2mdJsonContext.Default.CliProcessResult);
            return ExitCodes.Ok;
        }

        var waiter = new JobWaiter(core, options.Goal, options.FollowUps, options.Priority, options.Progress);
        foreach (var (episode, job, _) in _jobs)
            waiter.Track(episode, job);
        IReadOnlyList<CliEpisodeOutcome> outcomes;
        await using (LocalWorkers.StartUnlessServerRuns(core, transcribe: options.Goal == WaitGoal.Transcript))
            outcomes = await waiter.WaitAsync(options.Timeout, cancellationToken);

        foreach (var outcome in outcomes.Where(o => o.Outcome != "completed"))
            Log.Error(
                $"episode {outcome.EpisodeId} \"{TerminalText.Short(outcome.Title, 60)}\" {outcome.Outcome}: {TerminalText.Clean(outcome.Error)}"
            );
        if (options.Json)
        {
            JsonOutput.Write(new CliProcessResult(created, Skipped, queuedJobs, true, outcomes), Cast2mdJsonContext.Default.CliProcessResult);
        }
        else
        {
            var table = new Table("EPISODE", "OUTCOME", "STATUS", "TITLE").AlignRight("EPISODE");
            foreach (var o in outcomes)
                table.Add(o.EpisodeId.ToString(), o.Outcome, o.Status, TerminalText.Short(o.Title, 70));
            table.Write();
        }
        return outcomes.All(o => o.Outcome == "completed") ? ExitCodes.Ok : ExitCodes.Error;
    }

    private void PrintQueued(int created)
    {
        if (_jobs.Count == 1 && Skipped == 0)
        {
            var (episode, job, isNew) = _jobs[0];
            Console.WriteLine(
                isNew
                    ? $"Queued {job.Type.ToName()} job {job.Id} for episode {episode.Id} \"{TerminalText.Short(episode.Title, 70)}\"."
                    : $"Episode {episode.Id} already has {job.Type.ToName()} job {job.Id} ({job.Status.ToName()})."
            );
            return;
        }
        var already = _jobs.Count - created;
        Console.WriteLine(
            $"Queued {created} job{(created == 1 ? "" : "s")}"
                + (already > 0 ? $", {already} episode{(already == 1 ? "" : "s")} already in the queue" : "")
                + (Skipped > 0 ? $", {Skipped} skipped (already done, or nothing to fetch)" : "")
                + "."
        );
    }
}

/// <summary>How <see cref="EpisodeWork.FinishAsync"/> reports and waits.</summary>
internal sealed record WorkOptions(bool Wait, WaitGoal Goal, bool FollowUps, int Priority, ProgressMode Progress, bool Json, TimeSpan? Timeout);
