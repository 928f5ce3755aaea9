using Cast2md.Api;
using Cast2md.Cli.Infrastructure;
using Cast2md.Cli.Output;
using Cast2md.DataFolder;
using Cast2md.Json;
using Cast2md.Queue;
using Cast2md.Services;
using ConsoleAppFramework;

namespace Cast2md.Cli.Commands;

/// <summary>cast2md queue status|list|reset|retry|cancel|priority|history: the job queue. Safe while `serve` runs.</summary>
[RegisterCommands("queue")]
internal sealed class QueueCommands
{
    /// <summary>Job counts per type, the running jobs and the head of each queue.</summary>
    /// <param name="json">Print the result as one JSON document on stdout.</param>
    [Command("status")]
    public int Status(bool json = false)
    {
        var core = GlobalOptions.OpenCore();
        var overview = core.Queue.Overview(queuedLimit: 20).ToDictionary(o => o.Type);
        var server = ServerInstance.TryRead(core.DataDirectory);
        if (json)
        {
            CliQueueType Of(JobType type)
            {
                var o = overview[type];
                return new CliQueueType(
                    o.Counts.Queued,
                    o.Counts.Running,
                    o.Counts.Completed,
                    o.Counts.Failed,
                    o.Counts.Cancelled,
                    o.Running.Select(CliDto.Job).ToList(),
                    o.Queued.Select(CliDto.Job).ToList()
                );
            }
            JsonOutput.Write(
                new CliQueueStatus(server is not null, Of(JobType.Download), Of(JobType.TranscriptDownload), Of(JobType.Transcribe)),
                Cast2mdJsonContext.Default.CliQueueStatus
            );
            return ExitCodes.Ok;
        }

        var counts = new Table("TYPE", "QUEUED", "RUNNING", "COMPLETED", "FAILED", "CANCELLED").AlignRight(
            "QUEUED",
            "RUNNING",
            "COMPLETED",
            "FAILED",
            "CANCELLED"
        );
        foreach (var o in overview.Values)
            counts.Add(
                o.Type.ToName(),
                o.Counts.Queued.ToString(),
                o.Counts.Running.ToString(),
                o.Counts.Completed.ToString(),
                o.Counts.Failed.ToString(),
                o.Counts.Cancelled.ToString()
            );
        counts.Write();
        var running = overview.Values.SelectMany(o => o.Running).Select(CliDto.Job).ToList();
        if (running.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("Running:");
            JobTable(running, withEpisode: true).Write();
        }
        var queued = overview.Values.SelectMany(o => o.Queued).Select(CliDto.Job).OrderBy(j => j.Priority).ThenBy(j => j.Id).Take(10).ToList();
        if (queued.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("Next in the queue:");
            JobTable(queued, withEpisode: true).Write();
        }
        Console.WriteLine();
        Console.WriteLine(
            server is null
                ? "No server is running on this data folder: jobs run with `cast2md serve` or `cast2md process --wait`."
                : $"Server running: {server.Url} (pid {server.ProcessId})."
        );
        return ExitCodes.Ok;
    }

    /// <summary>List jobs: queued ones in the order they will run, the rest newest first.</summary>
    /// <param name="status">-s, Only jobs in this state: queued, running, completed, failed, cancelled.</param>
    /// <param name="type">-t, Only jobs of this type: download, transcript_download, transcribe.</param>
    /// <param name="limit">-n, How many jobs to show.</param>
    /// <param name="json">Print the result as one JSON document on stdout.</param>
    [Command("list")]
    public int List(string? status = null, string? type = null, int limit = 50, bool json = false)
    {
        if (limit < 1)
            throw new UsageException("--limit must be at least 1.");
        JobStatus? wantedStatus =
            status is null ? null
            : JobStatuses.TryParse(status.Trim().ToLowerInvariant(), out var s) ? s
            : throw new UsageException($"Unknown --status '{status}': use queued, running, completed, failed or cancelled.");
        JobType? wantedType =
            type is null ? null
            : JobTypes.TryParse(type.Trim().ToLowerInvariant().Replace('-', '_'), out var t) ? t
            : throw new UsageException($"Unknown --type '{type}': use download, transcript_download or transcribe.");
        var core = GlobalOptions.OpenCore();
        var jobs = core.Queue.Summaries(core.Jobs.List(wantedStatus, wantedType, limit: limit)).Select(CliDto.Job).ToList();
        if (json)
        {
            JsonOutput.Write(new CliJobList(jobs, jobs.Count), Cast2mdJsonContext.Default.CliJobList);
            return ExitCodes.Ok;
        }
        if (jobs.Count == 0)
        {
            Log.Info("no jobs");
            return ExitCodes.Ok;
        }
        JobTable(jobs, withEpisode: true).Write();
        return ExitCodes.Ok;
    }

    /// <summary>Put a running job back in the queue at once (its worker stops at its next lease renewal).</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="json">Print the job as one JSON document on stdout.</param>
    [Command("reset")]
    public int Reset([Argument] long jobId, bool json = false) =>
        Transition(jobId, json, (outcomes, id) => outcomes.Reset(id, "cli"), "only a running job can be reset", "is queued again");

    /// <summary>Queue a failed or cancelled job again, with its attempts reset.</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="json">Print the job as one JSON document on stdout.</param>
    [Command("retry")]
    public int Retry([Argument] long jobId, bool json = false) =>
        Transition(
            jobId,
            json,
            (outcomes, id) => outcomes.Retry(id, "cli"),
            "only a failed or cancelled job can be retried, and only while its episode has no other active job of that type",
            "is queued again"
        );

    /// <summary>Cancel a queued or running job (a running job's worker stops at its next lease renewal).</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="json">Print the job as one JSON document on stdout.</param>
    [Command("cancel")]
    public int Cancel([Argument] long jobId, bool json = false) =>
        Transition(jobId, json, (outcomes, id) => outcomes.Cancel(id, "cli"), "only a queued or running job can be cancelled", "is cancelled");

    /// <summary>Change the priority of a job that has not finished; lower runs first (the default is 10).</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="priority">The new priority.</param>
    /// <param name="json">Print the job as one JSON document on stdout.</param>
    [Command("priority")]
    public int Priority([Argument] long jobId, [Argument] int priority, bool json = false) =>
        Transition(
            jobId,
            json,
            (outcomes, id) => outcomes.Jobs.SetPriority(id, priority, "cli"),
            "only a queued or running job can be re-prioritised",
            $"has priority {priority}"
        );

    /// <summary>Show what happened to a job: queued, claimed, failed, retried, completed, by whom and when.</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="json">Print the result as one JSON document on stdout.</param>
    [Command("history")]
    public int History([Argument] long jobId, bool json = false)
    {
        var core = GlobalOptions.OpenCore();
        var job = core.Jobs.Get(jobId) ?? throw new NotFoundException($"Job {jobId} not found.");
        var history = core.Jobs.History(jobId).Select(h => new CliJobEvent(h.At, h.Event, h.Actor, h.Detail)).ToList();
        if (json)
        {
            JsonOutput.Write(new CliJobHistory(jobId, history), Cast2mdJsonContext.Default.CliJobHistory);
            return ExitCodes.Ok;
        }
        Console.WriteLine(
            $"Job {job.Id}: {job.Type.ToName()} of episode {job.EpisodeId}, {job.Status.ToName()}, attempt {job.Attempts} of {job.MaxAttempts}"
        );
        var table = new Table("AT", "EVENT", "BY", "DETAIL");
        foreach (var h in history)
            table.Add(
                h.At.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
                h.Event,
                h.Actor ?? "-",
                h.Detail ?? ""
            );
        table.Write();
        return ExitCodes.Ok;
    }

    private static int Transition(long jobId, bool json, Func<JobOutcomes, long, TransitionResult> change, string refusal, string done)
    {
        var core = GlobalOptions.OpenCore();
        var result = change(core.Outcomes, jobId);
        var job = core.Jobs.Get(jobId);
        switch (result)
        {
            case TransitionResult.NotFound:
                throw new NotFoundException($"Job {jobId} not found.");
            case TransitionResult.LeaseLost:
                throw new ConflictException($"Job {jobId} is {job?.Status.ToName() ?? "gone"}: {refusal}.");
        }
        core.Signal.Notify();
        if (json)
            JsonOutput.Write(CliDto.Job(job!), Cast2mdJsonContext.Default.CliJob);
        else
            Console.WriteLine($"Job {jobId} ({job!.Type.ToName()} of episode {job.EpisodeId}) {done}.");
        return ExitCodes.Ok;
    }

    internal static Table JobTable(IReadOnlyList<CliJob> jobs, bool withEpisode)
    {
        var headers = new List<string> { "JOB", "TYPE", "STATUS", "PRI", "TRIES", "PROGRESS", "UPDATED" };
        if (withEpisode)
            headers.AddRange(["EPISODE", "TITLE / ERROR"]);
        else
            headers.Add("ERROR");
        var table = new Table(headers.ToArray()).AlignRight("JOB", "PRI", "TRIES", "PROGRESS", "EPISODE");
        foreach (var j in jobs)
        {
            var updated = j.CompletedAt ?? j.StartedAt ?? j.CreatedAt;
            var progress = j.Status == "running" && j.ProgressPercent is { } p ? $"{p:0}%" : "";
            var status = j.NextRetryAt is { } retry ? $"retry {TerminalText.Time(retry)[11..]}" : j.Status;
            var error = j.ErrorMessage is null ? null : TerminalText.Short(j.ErrorMessage, 80);
            var cells = new List<string?>
            {
                j.Id.ToString(),
                j.JobType,
                status,
                j.Priority.ToString(),
                $"{j.Attempts}/{j.MaxAttempts}",
                progress,
                TerminalText.Time(updated),
            };
            if (withEpisode)
                cells.AddRange([
                    j.EpisodeId.ToString(),
                    error is not null && j.Status is "failed" or "queued" ? error : TerminalText.Short(j.EpisodeTitle, 70),
                ]);
            else
                cells.Add(error);
            table.Add(cells.ToArray());
        }
        return table;
    }
}
