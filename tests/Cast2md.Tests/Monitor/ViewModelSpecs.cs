using Cast2md.Tui.Client;
using Cast2md.Tui.ViewModels;
using Xunit;

namespace Cast2md.Tests.Monitor;

public class ViewModelSpecs
{
    [Fact]
    public void I_can_see_a_running_job_with_its_node_and_progress()
    {
        // Act
        var rows = QueueViewModel.Rows(MonitorData.Snapshot, Glyphs.Ascii);

        // Assert
        var running = Assert.Single(rows, r => r.State == "running");
        Assert.Equal(41, running.JobId);
        Assert.Equal("gpu-box", running.Where);
        Assert.Equal("######----  62%", running.Progress);
    }

    [Fact]
    public void I_can_see_running_then_queued_then_failed_jobs_with_the_error()
    {
        // Act
        var rows = QueueViewModel.Rows(MonitorData.Snapshot, Glyphs.Unicode);

        // Assert
        Assert.Equal(["running", "queued", "queued", "failed"], rows.Select(r => r.State));
        Assert.Equal("ffmpeg exited 1: invalid data found", rows[^1].Where);
    }

    [Fact]
    public void I_can_only_reset_running_jobs_and_retry_failed_ones()
    {
        // Arrange
        var rows = QueueViewModel.Rows(MonitorData.Snapshot, Glyphs.Ascii);

        // Assert
        Assert.True(QueueViewModel.Allows(rows[0], "reset"));
        Assert.False(QueueViewModel.Allows(rows[1], "reset"));
        Assert.True(QueueViewModel.Allows(rows[1], "priority"));
        Assert.True(QueueViewModel.Allows(rows[^1], "retry"));
        Assert.False(QueueViewModel.Allows(rows[^1], "cancel"));
    }

    [Fact]
    public void I_can_see_each_remote_node_with_status_current_job_and_last_heartbeat()
    {
        // Act
        var nodes = StatusViewModel.Nodes(MonitorData.Snapshot, MonitorData.Now, Glyphs.Ascii);

        // Assert
        Assert.Equal(["gpu-box", "old-laptop"], nodes.Select(n => n.Name));
        Assert.Equal("* busy", nodes[0].Status);
        Assert.Equal("#41 Episode 7: …", nodes[0].CurrentJob);
        Assert.Equal("4s ago", nodes[0].LastHeartbeat);
        Assert.Equal("o offline", nodes[1].Status);
        Assert.Equal("2h ago", nodes[1].LastHeartbeat);
    }

    [Fact]
    public void I_can_see_each_nodes_speed_and_how_long_its_current_job_still_needs()
    {
        // Act
        var nodes = StatusViewModel.Nodes(MonitorData.Snapshot, MonitorData.Now, Glyphs.Ascii);

        // Assert
        Assert.Equal(("24.5x", "4:05"), (nodes[0].Speed, nodes[0].Eta));
        Assert.Equal(("", ""), (nodes[1].Speed, nodes[1].Eta));
    }

    [Fact]
    public void I_can_see_queue_counts_workers_and_throughput_of_the_last_hour_and_day()
    {
        // Act
        var lines = StatusViewModel.Summary(MonitorData.Snapshot);

        // Assert
        Assert.Contains(lines, l => l.Contains("transcribe 2 queued, 1 running, 5 done, 1 failed"));
        Assert.Contains(lines, l => l.StartsWith("Workers   local workers running: transcribe 1"));
        Assert.Contains("Last hour 3 transcribed, 95.5 audio min, 9.6x realtime", lines);
        Assert.Contains("Last day  12 transcribed, 410 audio min, 8.2x realtime", lines);
    }

    [Fact]
    public void I_can_see_that_the_server_is_unreachable_and_being_retried()
    {
        // Act
        var line = StatusViewModel.Connection("http://h:8000", MonitorData.Unreachable, Glyphs.Unicode, TimeZoneInfo.Utc);

        // Assert
        Assert.Equal("http://h:8000  ○ unreachable — retrying (Connection refused)", line);
    }

    [Fact]
    public void I_can_see_distributed_settings_first_with_switches_as_on_and_off_and_secrets_hidden()
    {
        // Act
        var rows = SettingsViewModel.Rows(MonitorData.Settings);

        // Assert
        Assert.Equal(
            ["distributed_transcription_enabled", "node_heartbeat_timeout_seconds", "remote_job_timeout_minutes", "admin_token", "whisper_model"],
            rows.Select(r => r.Key)
        );
        Assert.Equal("on", rows[0].Value);
        Assert.Equal("false", SettingsViewModel.Toggled(rows[0]));
        Assert.Equal("60 s", rows[1].Value);
        Assert.Equal("••••", rows[3].Value);
        Assert.False(rows[3].Editable);
    }

    [Fact]
    public void I_can_see_feeds_with_transcribed_counts_and_their_episodes()
    {
        // Act
        var feeds = FeedsViewModel.Feeds(MonitorData.Feeds, MonitorData.Now);
        var episodes = FeedsViewModel.Episodes(MonitorData.Episodes);

        // Assert
        Assert.Equal(new FeedRow(1, "Demo Cast", 9, "5/9", "5m ago", ""), feeds[0]);
        Assert.Equal("1:02:05", episodes[1].Duration);
        Assert.True(episodes[1].HasTranscript);
        Assert.False(episodes[0].HasTranscript);
    }

    [Fact]
    public void I_can_see_the_nodes_current_job_progress_and_what_it_knows_without_the_admin_token()
    {
        // Arrange
        var withoutQueue = MonitorData.Node with { Queue = null, QueueError = "the server's queue needs the admin token" };

        // Act
        var progress = NodeViewModel.CurrentProgress(MonitorData.Node);
        var rows = NodeViewModel.QueueRows(withoutQueue, Glyphs.Ascii);

        // Assert
        Assert.Equal(0.625f, progress);
        var row = Assert.Single(rows);
        Assert.Equal(("transcribing", "this node"), (row.State, row.Where));
        Assert.Contains("admin token", NodeViewModel.QueueSummary(withoutQueue)[0]);
    }

    [Theory]
    [InlineData(null, 10, "               ")]
    [InlineData(0.0, 10, "----------   0%")]
    [InlineData(100.0, 4, "#### 100%")]
    [InlineData(150.0, 4, "#### 100%")]
    public void I_can_see_progress_as_a_fixed_width_bar(double? percent, int width, string expected) =>
        Assert.Equal(expected, Format.Bar(percent, width, Glyphs.Ascii));

    [Theory]
    [InlineData("en_US.UTF-8", null, '█')]
    [InlineData("C", null, '#')]
    [InlineData("en_US.UTF-8", "1", '#')]
    public void I_get_ascii_bars_on_a_plain_terminal(string lang, string? ascii, char full)
    {
        var env = new Dictionary<string, string?> { ["LANG"] = lang, ["CAST2MD_ASCII"] = ascii };
        Assert.Equal(full, Glyphs.Detect(k => env.GetValueOrDefault(k)).Full);
    }

    [Fact]
    public void I_can_find_the_local_server_and_its_token_from_the_data_folder()
    {
        // Arrange
        using var dir = Infra.TempDir.Create();
        Cast2md.DataFolder.ServerInstance.Announce(dir.Path, "http://0.0.0.0:8123");
        File.WriteAllText(Path.Combine(dir.Path, "admin-token"), "tok\n");

        // Act
        var target = ServerLocator.Resolve(null, null, dir.Path, _ => null, out var problem);

        // Assert
        Assert.Null(problem);
        Assert.Equal("http://127.0.0.1:8123/", target!.BaseUri.ToString());
        Assert.Equal("tok", target.Token);
    }

    [Fact]
    public void I_am_told_when_no_local_server_runs()
    {
        using var dir = Infra.TempDir.Create();
        Assert.Null(ServerLocator.Resolve(null, null, dir.Path, _ => null, out var problem));
        Assert.Contains("no server is running", problem);
    }

    [Fact]
    public void I_can_see_each_search_hit_with_its_feed_episode_time_and_the_match_in_brackets()
    {
        // Act
        var rows = SearchViewModel.Rows(MonitorData.Hits);

        // Assert
        Assert.Equal(
            ("Demo Cast", "Episode 5: Origins", "00:04:10", "…the old [lighthouse] keeper told us…"),
            (rows[0].Feed, rows[0].Episode, rows[0].At, rows[0].Snippet)
        );
        Assert.Equal(("title", 9L, (long?)null), (rows[1].At, rows[1].EpisodeId, rows[1].StartMs));
    }

    [Fact]
    public void A_snippet_cut_inside_a_mark_shows_no_stray_bracket()
    {
        // Act
        var shown = SearchViewModel.Marked("a **b** and **c");

        // Assert
        Assert.Equal("a [b] and c", shown);
    }

    [Fact]
    public void A_transcript_opens_at_the_first_line_of_the_hits_segment_with_long_segments_wrapped()
    {
        // Arrange
        var transcript = MonitorData.Transcript with
        {
            Segments =
            [
                .. MonitorData.Transcript.Segments.Take(2),
                Cast2md.Transcripts.TranscriptJsonSegment.From(
                    new Cast2md.Transcripts.TranscriptSegment(20_000, 29_000, string.Join(' ', Enumerable.Repeat("word", 30)))
                ),
                .. MonitorData.Transcript.Segments.Skip(3),
            ],
        };

        // Act
        var (lines, selected) = SearchViewModel.TranscriptLines(transcript, 250_000, 60);

        // Assert
        Assert.Equal("[00:00:00] Line number 0 of the talk.", lines[0]);
        Assert.StartsWith("[00:00:20] word word", lines[2]);
        Assert.StartsWith("           word", lines[3]);
        Assert.All(lines, l => Assert.True(l.Length <= 60, l));
        Assert.Equal("[00:04:10] And the old lighthouse keeper told us everything.", lines[selected]);
    }

    [Fact]
    public void A_title_hit_opens_the_transcript_at_its_start_and_a_time_between_segments_at_the_one_before()
    {
        // Act
        var (_, title) = SearchViewModel.TranscriptLines(MonitorData.Transcript, null, 80);
        var (lines, between) = SearchViewModel.TranscriptLines(MonitorData.Transcript, 255_000, 80);

        // Assert
        Assert.Equal(0, title);
        Assert.StartsWith("[00:04:10]", lines[between]);
    }
}
