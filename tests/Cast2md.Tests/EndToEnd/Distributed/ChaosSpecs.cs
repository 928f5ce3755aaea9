using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cast2md.Library;
using Cast2md.Queue;
using Cast2md.Tests.Infra;
using Cast2md.Tests.Media;
using Xunit;
using Xunit.Abstractions;

namespace Cast2md.Tests.EndToEnd.Distributed;

/// <summary>
/// A server, its local worker and three nodes transcribe 60 short episodes from two feeds while a driver, from a fixed
/// seed, kills nodes and the server at random moments, resets and cancels jobs, deletes and re-adds a feed and fills one
/// node's spool disk once. Afterwards no transcript is lost, duplicated or put on the wrong episode.
/// </summary>
[Collection(RealProcessesCollection.Name)]
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed class ChaosSpecs(ITestOutputHelper output)
{
    private const int Seed = 20261201;

    [Fact(Timeout = 290_000)]
    public async Task Sixty_episodes_survive_kills_resets_cancels_a_feed_deleted_and_added_again_and_a_full_spool_with_one_transcript_each()
    {
        // Arrange
        var clock = Stopwatch.StartNew();
        var random = new Random(Seed);
        await using var fleet = Fleet.Create();
        // Short episodes (the run must fit in CI on two cores): most are 3 s of silence, which transcribes without
        // whisper; every sixth is 3 s of speech, so some transcriptions run long enough to be killed in the middle.
        var speech = await TestAudio.GenerateAsync(fleet.Dir, "speech-3s.mp3", "-i", Paths.JfkMp3, "-t", "3", "-b:a", "32k");
        var silence = await TestAudio.GenerateAsync(
            fleet.Dir,
            "silence-3s.mp3",
            "-f",
            "lavfi",
            "-i",
            "anullsrc=r=16000:cl=mono",
            "-t",
            "3",
            "-b:a",
            "32k"
        );
        await using var publisher = FixtureServer.Start();
        publisher.MapPrefix("/audio/", request =>
            FixtureResponse
                .File(
                    request.Path.EndsWith("0.mp3", StringComparison.Ordinal) || request.Path.EndsWith("6.mp3", StringComparison.Ordinal)
                        ? speech
                        : silence,
                    "audio/mpeg"
                )
                .Slow(TimeSpan.FromMilliseconds(100), 4 * 1024)
        );
        publisher.MapText("/a.xml", Feed(publisher, "Chaos A", "a", 20), "application/rss+xml");
        publisher.MapText("/b.xml", Feed(publisher, "Chaos B", "b", 40), "application/rss+xml");
        fleet.ServerEnvironment["AUTO_TRANSCRIBE"] = "true";
        fleet.ServerEnvironment["MAX_RETRY_ATTEMPTS"] = "20";
        fleet.ServerEnvironment["REMOTE_JOB_TIMEOUT_MINUTES"] = "0.1";
        fleet.ServerEnvironment["MAX_CONCURRENT_DOWNLOADS"] = "2";
        await fleet.StartServerAsync();

        // One thread per transcription: three nodes and the server's worker share two cores.
        var nodeEnvironment = new Dictionary<string, string?>(Fleet.StandIn) { ["WHISPER_THREADS"] = "1" };
        var homes = new List<string>();
        for (var i = 1; i <= 3; i++)
            homes.Add(await NodeProcess.RegisterAsync(fleet.Dir, fleet.Server.BaseUrl, $"chaos-{i}", nodeEnvironment));
        var spoolDisk = Path.Combine(homes[2], ".cast2md", "spool");
        Directory.CreateDirectory(spoolDisk);
        Mount(spoolDisk);
        var nodes = new NodeProcess?[3];
        var logs = new List<NodeProcess>();
        try
        {
            for (var i = 0; i < 3; i++)
                logs.Add(nodes[i] = await NodeProcess.StartAsync(homes[i], nodeEnvironment));
            var feedA = await AddFeedAsync(fleet, publisher.Url("/a.xml"));
            await AddFeedAsync(fleet, publisher.Url("/b.xml"));

            // Act: the driver
            var figures = new Dictionary<string, int>
            {
                ["node kills"] = 0,
                ["server kills"] = 0,
                ["resets"] = 0,
                ["cancels"] = 0,
                ["feed deleted and re-added"] = 0,
                ["spool filled"] = 0,
            };
            string? filler = null;
            for (var step = 0; step < 36 && clock.Elapsed < TimeSpan.FromSeconds(100); step++)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(800, 2200)));
                var roll = random.Next(100);
                if (step == 12)
                {
                    // The feed goes, with its episodes, jobs and files, while nodes and workers hold some of them; then it comes back.
                    using (var http = fleet.Server.Client())
                        (await http.DeleteAsync($"/api/feeds/{feedA}")).EnsureSuccessStatusCode();
                    await Task.Delay(TimeSpan.FromMilliseconds(random.Next(300, 1500)));
                    feedA = await AddFeedAsync(fleet, publisher.Url("/a.xml"));
                    figures["feed deleted and re-added"]++;
                }
                else if (step == 6)
                {
                    filler = Fill(spoolDisk);
                    figures["spool filled"]++;
                }
                else if (step == 20 && filler is not null)
                {
                    File.Delete(filler);
                    filler = null;
                }
                else if (roll < 30)
                {
                    var n = random.Next(3);
                    if (nodes[n] is { } victim)
                    {
                        await victim.KillHardAsync();
                        figures["node kills"]++;
                        await Task.Delay(TimeSpan.FromMilliseconds(random.Next(200, 1500)));
                        logs.Add(nodes[n] = await NodeProcess.StartAsync(homes[n], nodeEnvironment));
                    }
                }
                else if (roll < 40)
                {
                    await fleet.Server.KillHardAsync();
                    figures["server kills"]++;
                    await Task.Delay(TimeSpan.FromMilliseconds(random.Next(200, 1200)));
                    await fleet.StartServerAsync();
                }
                else if (roll < 60 && Pick(fleet, JobStatus.Running, random) is { } running)
                {
                    using var http = fleet.Server.Client();
                    if ((await http.PostAsync($"/api/queue/{running.Id}/reset", null)).IsSuccessStatusCode)
                        figures["resets"]++;
                }
                else if (
                    roll < 68
                    && Pick(fleet, random.Next(2) == 0 ? JobStatus.Running : JobStatus.Queued, random, JobType.Transcribe) is { } victimJob
                )
                {
                    using var http = fleet.Server.Client();
                    if ((await http.PostAsync($"/api/queue/{victimJob.Id}/cancel", null)).IsSuccessStatusCode)
                        figures["cancels"]++;
                }
            }
            if (filler is not null)
                File.Delete(filler);

            // Everything settles: no job left to run. A failed attempt waits minutes before its retry; time is moved on
            // for those (their run_after brought forward), as the clock would.
            await SettleAsync(fleet, nodes, "every job to finish after the chaos", TimeSpan.FromSeconds(100));
            foreach (var node in nodes)
                if (node is not null)
                    await node.DisposeAsync();
            // A last restart runs the start-up pass over whatever the final kill left.
            await fleet.Server.KillHardAsync();
            await fleet.StartServerAsync();
            await SettleAsync(fleet, nodes, "the queue to be empty after the last restart", TimeSpan.FromSeconds(45));

            // Assert
            var problems = Check(fleet);
            var jobs = AllJobs(fleet);
            figures["failed attempts retried"] = jobs.Sum(j => fleet.Core.Jobs.History(j.Id).Count(h => h.Event == "retry_scheduled"));
            figures["jobs retried (claimed more than once)"] = jobs.Count(j => fleet.Core.Jobs.History(j.Id).Count(h => h.Event == "claimed") > 1);
            figures["late results accepted"] = jobs.Sum(j =>
                fleet.Core.Jobs.History(j.Id).Count(h => h.Detail?.Contains("late result accepted") == true)
            );
            figures["results re-sent by nodes"] = logs.Sum(l =>
                Count(l.Log, "is sent again") + Count(l.Log, "spooled result(s) from an earlier run")
            );
            figures["episodes transcribed"] = fleet.Core.Episodes.ListByStatus(EpisodeStatus.Completed, limit: 10_000).Count;
            var report = $"chaos (seed {Seed}) in {clock.Elapsed.TotalSeconds:0} s: " + string.Join(", ", figures.Select(f => $"{f.Key} {f.Value}"));
            output.WriteLine(report);
            Console.WriteLine(report);
            Assert.True(problems.Count == 0, string.Join('\n', problems.Take(30)) + "\n" + report + "\n" + Diagnose(fleet, nodes));
            Assert.True(figures["node kills"] + figures["server kills"] > 0, report);
        }
        finally
        {
            foreach (var node in nodes)
                if (node is not null)
                    await node.DisposeAsync();
            Unmount(spoolDisk);
        }
    }

    private static async Task SettleAsync(Fleet fleet, NodeProcess?[] nodes, string what, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (fleet.Core.Jobs.List(JobStatus.Queued, limit: 1).Count > 0 || fleet.Core.Jobs.List(JobStatus.Running, limit: 1).Count > 0)
        {
            if (DateTime.UtcNow > until)
                Assert.Fail($"timed out after {timeout.TotalSeconds:0} s waiting for {what}\n{Diagnose(fleet, nodes)}");
            using (var connection = fleet.Core.Database.Connect())
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "UPDATE jobs SET run_after_ms = $now WHERE status = 'queued' AND run_after_ms > $now;";
                command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                command.ExecuteNonQuery();
            }
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    private static string Diagnose(Fleet fleet, NodeProcess?[] nodes)
    {
        var text = new StringBuilder();
        foreach (var status in new[] { JobStatus.Queued, JobStatus.Running })
        foreach (var job in fleet.Core.Jobs.List(status, limit: 20))
            text.AppendLine(
                $"job {job.Id} {job.Type.ToName()} {job.Status.ToName()} episode {job.EpisodeId} by {job.ClaimedBy} attempts {job.Attempts} "
                    + $"run_after {job.RunAfter:HH:mm:ss} lease {job.LeaseExpiresAt:HH:mm:ss}: {string.Join(" → ", fleet.Core.Jobs.History(job.Id).Select(h => h.Event))}"
            );
        text.AppendLine("--- server log (tail) ---").AppendLine(Tail(fleet.Server.Log, 40));
        foreach (var node in nodes)
            if (node is not null)
                text.AppendLine($"--- node {Path.GetFileName(node.Home)} (tail) ---").AppendLine(Tail(node.Log, 25));
        return text.ToString();
    }

    private static string Tail(string log, int lines) => string.Join('\n', log.Split('\n').TakeLast(lines));

    /// <summary>Every invariant, as a list of the violations found.</summary>
    private static List<string> Check(Fleet fleet)
    {
        var problems = new List<string>();
        var core = fleet.Core;
        var jobs = AllJobs(fleet);
        var episodes = new List<Episode>();
        foreach (var feed in core.Feeds.List())
            episodes.AddRange(core.Episodes.ListByFeed(feed.Id, limit: 10_000).Episodes);
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var episode in episodes)
        {
            if (episode.AudioPath is not null)
                referenced.Add(core.Layout.Resolve(episode.AudioPath));
            if (episode.TranscriptPath is { } md)
                foreach (var extension in new[] { ".md", ".json", ".srt", ".vtt", ".txt" })
                    referenced.Add(Path.ChangeExtension(core.Layout.Resolve(md), extension));
            var latest = jobs.Where(j => j.EpisodeId == episode.Id).MaxBy(j => j.Id);
            if (latest?.Status == JobStatus.Cancelled)
                continue;
            var transcribe = jobs.Where(j => j.EpisodeId == episode.Id && j.Type == JobType.Transcribe).MaxBy(j => j.Id);
            if (episode.Status != EpisodeStatus.Completed || episode.TranscriptPath is null)
            {
                problems.Add(
                    $"episode {episode.Id} ({episode.Title}) is {episode.Status.ToName()} without a transcript; latest job {latest?.Id} {latest?.Type.ToName()} {latest?.Status.ToName()} ({latest?.ErrorMessage}; attempts {latest?.Attempts}; history: {string.Join(" / ", core.Jobs.History(latest?.Id ?? 0).Select(h => $"{h.Event} {h.Actor} {h.Detail}"))})"
                );
                continue;
            }
            if (!File.Exists(core.Layout.Resolve(episode.TranscriptPath)))
                problems.Add($"episode {episode.Id}: its transcript file {episode.TranscriptPath} is missing");
            var copies = fleet.FilesUnder("transcripts").Count(f => f.EndsWith($"_{episode.Id}.md", StringComparison.Ordinal));
            if (copies != 1)
                problems.Add($"episode {episode.Id}: {copies} transcript files");
            if (transcribe is null || transcribe.Status != JobStatus.Completed)
                problems.Add($"episode {episode.Id}: completed, but its latest transcription job {transcribe?.Id} is {transcribe?.Status.ToName()}");
            else if (transcribe.Model is { } wanted && episode.TranscriptModel != wanted)
                problems.Add($"episode {episode.Id}: transcript model {episode.TranscriptModel}, its latest job asked for {wanted}");
        }
        foreach (var file in fleet.FilesUnder("audio").Concat(fleet.FilesUnder("transcripts")))
            if (!referenced.Contains(file))
                problems.Add($"orphan file {Path.GetRelativePath(fleet.Data, file)}");
        foreach (var file in fleet.FilesUnder("tmp/results"))
            problems.Add($"staged result left behind: {Path.GetFileName(file)}");
        foreach (var job in jobs.Where(j => j.Status == JobStatus.Running))
            problems.Add($"job {job.Id} is running with no live holder ({job.ClaimedBy})");
        foreach (var job in jobs)
            if (IllegalStep(core.Jobs.History(job.Id)) is { } illegal)
                problems.Add($"job {job.Id}: {illegal}");
        return problems;
    }

    /// <summary>The first event that does not follow from the state before it, or null when the history is a legal sequence.</summary>
    private static string? IllegalStep(IReadOnlyList<JobHistoryEntry> history)
    {
        var state = "none";
        foreach (var entry in history)
        {
            var late = entry.Detail?.Contains("late result accepted") == true;
            string? next = (entry.Event, state) switch
            {
                ("queued", "none") => "queued",
                ("claimed", "queued") => "running",
                ("completed", "running") => "completed",
                ("completed", "queued" or "failed") when late => "completed",
                ("retry_scheduled", "running") => "queued",
                ("released" or "requeued" or "reset", "running") => "queued",
                ("lease_expired", "running") => entry.Detail?.StartsWith("failed") == true ? "failed" : "queued",
                ("failed", "running") => "failed",
                ("cancelled", "queued" or "running") => "cancelled",
                ("retried", "failed" or "cancelled") => "queued",
                ("priority", "queued" or "running") => state,
                _ => null,
            };
            if (next is null)
                return $"'{entry.Event}' while {state} ({string.Join(" → ", history.Select(h => h.Event))})";
            state = next;
        }
        return null;
    }

    private static List<Job> AllJobs(Fleet fleet) =>
        [
            .. new[] { JobStatus.Queued, JobStatus.Running, JobStatus.Completed, JobStatus.Failed, JobStatus.Cancelled }.SelectMany(s =>
                fleet.Core.Jobs.List(s, limit: 100_000)
            ),
        ];

    private static Job? Pick(Fleet fleet, JobStatus status, Random random, JobType? type = null)
    {
        var candidates = fleet.Core.Jobs.List(status, type, limit: 1000);
        return candidates.Count == 0 ? null : candidates[random.Next(candidates.Count)];
    }

    private static async Task<long> AddFeedAsync(Fleet fleet, Uri url)
    {
        using var http = fleet.Server.Client();
        using var response = await http.PostAsJsonAsync("/api/feeds", new { url = url.ToString() });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("id").GetInt64();
    }

    private static string Feed(FixtureServer server, string title, string prefix, int count)
    {
        var items = new StringBuilder();
        for (var i = 1; i <= count; i++)
            items.Append(
                $"""
                <item>
                  <title>{title} episode {i}</title>
                  <guid>{prefix}-{i}</guid>
                  <pubDate>{DateTimeOffset.UtcNow.AddDays(-i):R}</pubDate>
                  <enclosure url="{server.Url($"/audio/{prefix}-{i}.mp3")}" type="audio/mpeg" length="76447" />
                </item>
                """
            );
        return $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0"><channel><title>{title}</title><link>https://example.test/</link><description>chaos</description>{items}</channel></rss>
            """;
    }

    /// <summary>A 2 MB tmpfs on the node's spool folder (the specs run as root, as CI does).</summary>
    private static void Mount(string path)
    {
        using var mount = Process.Start(
            new ProcessStartInfo("mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", path]) { RedirectStandardError = true }
        )!;
        mount.WaitForExit();
        Assert.True(mount.ExitCode == 0, $"cannot mount a tmpfs on {path} (this spec needs root): {mount.StandardError.ReadToEnd()}");
    }

    private static void Unmount(string path)
    {
        using var umount = Process.Start(new ProcessStartInfo("umount", ["-l", path]) { RedirectStandardError = true })!;
        umount.WaitForExit();
    }

    /// <summary>Fills the disk at <paramref name="folder"/> to the last byte; returns the filler file.</summary>
    private static string Fill(string folder)
    {
        var filler = Path.Combine(folder, "filler.bin");
        using var stream = new FileStream(filler, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1);
        var block = new byte[64 * 1024];
        try
        {
            while (true)
                stream.Write(block);
        }
        catch (IOException)
        {
            // ENOSPC: full.
        }
        return filler;
    }

    private static int Count(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
            count++;
        return count;
    }
}
