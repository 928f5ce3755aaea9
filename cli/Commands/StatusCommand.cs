using Cast2md.Api;
using Cast2md.Cli.Infrastructure;
using Cast2md.Cli.Output;
using Cast2md.DataFolder;
using Cast2md.Json;
using Cast2md.Library;
using Cast2md.Queue;
using Cast2md.Settings;
using ConsoleAppFramework;

namespace Cast2md.Cli.Commands;

[RegisterCommands]
internal sealed class StatusCommand
{
    /// <summary>Feeds, episodes per state, jobs per type, and whether `serve` runs on the data folder (as GET /api/status).</summary>
    /// <param name="json">Print the result as one JSON document on stdout.</param>
    [Command("status")]
    public int Run(bool json = false)
    {
        var core = GlobalOptions.OpenCore();
        var counts = core.Episodes.StatusCounts();
        var episodeCounts = EpisodeCounts.From(counts);
        var jobCounts = Enum.GetValues<JobType>().ToDictionary(t => t.ToName(), core.Jobs.Counts);
        var server = ServerInstance.TryRead(core.DataDirectory);
        var status = new CliStatus(
            core.Feeds.Count(),
            episodeCounts,
            jobCounts,
            server is not null,
            server?.Url,
            core.Settings.GetString(SettingDefinitions.WhisperModel),
            core.Settings.GetString(SettingDefinitions.WhisperDevice),
            core.DataDirectory,
            core.Database.Path
        );
        if (json)
        {
            JsonOutput.Write(status, Cast2mdJsonContext.Default.CliStatus);
            return ExitCodes.Ok;
        }

        Console.WriteLine($"Data folder:  {core.DataDirectory}");
        Console.WriteLine($"Server:       {(server is null ? "not running" : $"running at {server.Url} (pid {server.ProcessId})")}");
        Console.WriteLine($"Whisper:      {status.WhisperModel} on {status.WhisperDevice}");
        Console.WriteLine($"Feeds:        {status.FeedCount}");
        Console.WriteLine($"Episodes:     {episodeCounts.Total}");
        Console.WriteLine();
        var episodes = new Table("EPISODE STATUS", "COUNT").AlignRight("COUNT");
        foreach (var s in Enum.GetValues<EpisodeStatus>())
            episodes.Add(s.ToName(), counts[s].ToString());
        episodes.Write();
        Console.WriteLine();
        var jobs = new Table("JOB TYPE", "QUEUED", "RUNNING", "COMPLETED", "FAILED", "CANCELLED").AlignRight(
            "QUEUED",
            "RUNNING",
            "COMPLETED",
            "FAILED",
            "CANCELLED"
        );
        foreach (var (type, c) in jobCounts)
            jobs.Add(type, c.Queued.ToString(), c.Running.ToString(), c.Completed.ToString(), c.Failed.ToString(), c.Cancelled.ToString());
        jobs.Write();
        return ExitCodes.Ok;
    }
}
