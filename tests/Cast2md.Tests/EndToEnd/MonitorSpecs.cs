using System.Text.RegularExpressions;
using Cast2md.Tests.EndToEnd.Distributed;
using Cast2md.Tests.Infra;
using Cast2md.Tests.Media;
using Xunit;

namespace Cast2md.Tests.EndToEnd;

/// <summary>The published `./bin/cast2md monitor` in tmux against a real server and node: keys in, screen out.</summary>
[Collection(RealProcessesCollection.Name)]
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public class MonitorSpecs
{
    [Fact(Timeout = 300_000)]
    public async Task I_can_watch_a_queued_job_run_on_a_node_reset_it_and_add_a_node_whose_key_is_shown_once()
    {
        // Arrange: five minutes of noise keep the node busy; no local worker, so only the node transcribes
        await using var fleet = Fleet.Create();
        var noise = await TestAudio.GenerateAsync(
            fleet.Dir,
            "noise.mp3",
            "-f",
            "lavfi",
            "-i",
            "anoisesrc=r=16000:a=0.3:c=pink",
            "-t",
            "300",
            "-b:a",
            "32k"
        );
        var episode = fleet.AddEpisodes(1, noise, podcast: "Monitor Talks").Single();
        fleet.ServerEnvironment["LOCAL_TRANSCRIPTION_ENABLED"] = "false";
        await fleet.StartServerAsync();
        var job = fleet.QueueTranscription(episode);
        // No --server: the monitor finds the server through {data}/server.pid.
        using var tmux = new TmuxSession($"env LANG=C.UTF-8 TERM=xterm-256color '{Paths.PublishedBinary}' monitor --data-dir '{fleet.Data}'");
        await tmux.WaitForTextAsync("connected");

        // Act + Assert: the queued job appears on the Queue tab
        tmux.Send("2");
        await tmux.WaitForAsync(s => Regex.IsMatch(s, $@"{job.Id}\s*│?\s*queued"), "the queued job on the Queue tab");

        // ... a node takes it and its progress moves
        await fleet.StartNodeAsync("tmux-node");
        var first = await tmux.WaitForAsync(s => Progress(s) is > 0, "a running job with progress");
        Assert.Contains("tmux-node", first);
        var before = Progress(first);
        await tmux.WaitForAsync(s => Progress(s) is { } p && p > before, $"progress beyond {before}%", seconds: 120);

        // ... r on the selected (running) job resets it on the server
        tmux.Send("r");
        await fleet.WaitForAsync(
            () => fleet.Core.Jobs.History(job.Id).Any(h => h.Event.Contains("reset", StringComparison.OrdinalIgnoreCase)),
            "the reset from the Queue tab to reach the server"
        );

        // ... a node added by hand shows its key once, then appears in the list without it
        tmux.Send("3");
        await tmux.WaitForTextAsync("add node");
        tmux.Send("a");
        await tmux.WaitForTextAsync("Status URL");
        tmux.Send("manual-node", literal: true);
        tmux.Send("Tab");
        tmux.Send("http://127.0.0.1:9/", literal: true);
        tmux.Send("Enter");
        var dialog = await tmux.WaitForTextAsync("API key:");
        var key = Regex.Match(dialog, @"API key: (\S+)").Groups[1].Value;
        var nodes = await fleet.NodesAsync();
        Assert.Contains(nodes.EnumerateArray(), n => n.GetProperty("name").GetString() == "manual-node");
        Assert.True(key.Length >= 16, dialog);
        tmux.Send("Enter");
        var list = await tmux.WaitForAsync(s => s.Contains("manual-node") && !s.Contains("API key:"), "the node list after the key dialog");
        Assert.DoesNotContain(key, list);

        // ... and q quits cleanly
        tmux.Send("q");
        await tmux.WaitForTextAsync("[exited 0]", seconds: 15);
    }

    [Fact(Timeout = 120_000)]
    public async Task I_can_see_the_server_go_unreachable_and_come_back()
    {
        // Arrange
        await using var fleet = Fleet.Create();
        await fleet.StartServerAsync();
        using var tmux = new TmuxSession($"env LANG=C '{Paths.PublishedBinary}' monitor --server {fleet.Server.BaseUrl}", 80, 24);
        await tmux.WaitForTextAsync("connected");

        // Act
        await fleet.Server.KillHardAsync();
        await tmux.WaitForTextAsync("unreachable - retrying");
        await fleet.StartServerAsync();

        // Assert
        await tmux.WaitForTextAsync("connected");
        tmux.Send("C-c");
        await tmux.WaitForTextAsync("[exited 0]", seconds: 15);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_monitor_whose_terminal_goes_away_exits_instead_of_spinning_on()
    {
        // Arrange
        await using var fleet = Fleet.Create();
        await fleet.StartServerAsync();
        var pidFile = fleet.Dir.Combine("monitor.pid");
        var tmux = new TmuxSession(
            $"sh -c 'echo $$ > {pidFile}; exec env LANG=C \"{Paths.PublishedBinary}\" monitor --server {fleet.Server.BaseUrl}'",
            80,
            24
        );
        await tmux.WaitForTextAsync("connected");
        using var monitor = System.Diagnostics.Process.GetProcessById(int.Parse(File.ReadAllText(pidFile).Trim()));

        // Act: the whole tmux server goes, as a closed SSH session would (SIGHUP, then a dead terminal)
        tmux.Dispose();

        // Assert
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await monitor.WaitForExitAsync(deadline.Token);
        Assert.True(monitor.HasExited);
    }

    [Fact(Timeout = 120_000)]
    public async Task I_can_search_the_transcripts_and_open_a_hit_at_its_segment()
    {
        // Arrange: forty segments ten seconds apart; the one at 05:50 is the only one about a lighthouse
        await using var server = await Api.ApiServer.StartAsync();
        var episode = server.AddEpisode(server.AddFeed("Sea Stories").Id, "Keepers");
        var lines = Enumerable
            .Range(0, 40)
            .Select(i => i == 35 ? "The keeper of the lighthouse 6 was alone." : $"Filler line {i} about the weather.")
            .ToArray();
        await Search.SearchData.CommitTranscriptAsync(server.Core, episode, lines);
        using var tmux = new TmuxSession(
            $"env LANG=C.UTF-8 TERM=xterm-256color '{Paths.PublishedBinary}' monitor --server {server.Http.BaseAddress}",
            100,
            30
        );
        await tmux.WaitForTextAsync("connected");

        // Act: the Search tab; q and 6 are typed into the query, not taken as quit and a tab
        tmux.Send("6");
        await tmux.WaitForTextAsync("Search:");
        tmux.Send("lighthouse q", literal: true);
        tmux.Send("BSpace");
        tmux.Send("6", literal: true);
        await tmux.WaitForTextAsync("Search: lighthouse 6");
        tmux.Send("Enter");
        var hits = await tmux.WaitForAsync(s => s.Contains("00:05:50") && s.Contains("[lighthouse]"), "the hit with its time and snippet");
        tmux.Send("Enter");
        var transcript = await tmux.WaitForTextAsync("[00:05:50] The keeper of the lighthouse 6 was alone.");

        // Assert
        Assert.Contains("Sea Stories", hits);
        Assert.Contains("Keepers", hits);
        Assert.DoesNotContain("[00:00:00] Filler line 0 ", transcript);
        tmux.Send("Escape");
        await tmux.WaitForAsync(s => !s.Contains("[00:05:50] The keeper"), "the transcript closed");
        tmux.Send("q");
        await tmux.WaitForTextAsync("[exited 0]", seconds: 15);
    }

    /// <summary>The percentage of the running job's bar on the Queue tab ("62%" after the bar), or null.</summary>
    private static int? Progress(string screen)
    {
        var line = screen.Split('\n').FirstOrDefault(l => l.Contains("running", StringComparison.Ordinal));
        var match = line is null ? Match.Empty : Regex.Match(line, @"[█░#\-]+\s+(\d+)%");
        return match.Success ? int.Parse(match.Groups[1].Value) : null;
    }
}
