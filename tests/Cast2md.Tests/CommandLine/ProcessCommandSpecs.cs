using System.Diagnostics;
using System.Text;
using Cast2md.DataFolder;
using Cast2md.Library;
using Cast2md.Queue;
using Cast2md.Tests.EndToEnd;
using Cast2md.Tests.Infra;
using CliWrap;
using Xunit;

namespace Cast2md.Tests.CommandLine;

/// <summary>cast2md process, download and transcribe EPISODE_ID: queueing, waiting (own workers or a server's), exit codes, the cron lock.</summary>
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed class ProcessCommandSpecs
{
    [Fact(Timeout = 30_000)]
    public async Task I_can_process_an_episode_and_its_download_is_queued()
    {
        // Arrange
        using var data = new CliData();
        var episode = data.AddEpisode(data.AddFeed(), "To Do");

        // Act
        var human = await data.RunAsync("process", episode.Id.ToString());
        var again = await data.RunAsync("process", episode.Id.ToString(), "--json");

        // Assert
        Assert.Equal(0, human.ExitCode);
        var job = Assert.Single(data.Core.Jobs.List(episodeId: episode.Id));
        Assert.Equal(JobType.Download, job.Type);
        Assert.Contains($"Queued download job {job.Id} for episode {episode.Id}", human.StandardOutput);
        Assert.Equal(0, again.ExitCode);
        var queued = Assert.Single(CliData.Json(again).GetProperty("jobs").EnumerateArray());
        Assert.Equal(job.Id, queued.GetProperty("job_id").GetInt64());
        Assert.False(queued.GetProperty("created").GetBoolean());
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_process_every_episode_of_a_feed_and_transcribed_ones_are_skipped()
    {
        // Arrange
        using var data = new CliData();
        var feed = data.AddFeed();
        var a = data.AddEpisode(feed, "A");
        var b = data.AddEpisode(feed, "B");
        await data.AddTranscriptAsync(data.AddEpisode(feed, "Done"), feed);

        // Act
        var result = await data.RunAsync("process", "--feed", feed.Id.ToString(), "--json");

        // Assert
        Assert.Equal(0, result.ExitCode);
        var json = CliData.Json(result);
        Assert.Equal(2, json.GetProperty("queued").GetInt32());
        Assert.Equal(1, json.GetProperty("skipped").GetInt32());
        Assert.False(json.GetProperty("waited").GetBoolean());
        Assert.Single(data.Core.Jobs.List(JobStatus.Queued, JobType.Download, a.Id));
        Assert.Single(data.Core.Jobs.List(JobStatus.Queued, JobType.Download, b.Id));
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_process_new_episodes_across_feeds_and_failed_or_completed_ones_are_left_alone()
    {
        // Arrange
        using var data = new CliData();
        var first = data.AddFeed("First");
        var second = data.AddFeed("Second");
        var fresh = data.AddEpisode(first, "Fresh");
        var needsAudio = data.AddEpisode(second, "Needs Audio");
        data.Core.Episodes.SetStatus(needsAudio.Id, EpisodeStatus.NeedsAudio);
        var failed = data.AddEpisode(second, "Failed Before");
        data.Core.Episodes.SetStatus(failed.Id, EpisodeStatus.Failed, "gone");
        await data.AddTranscriptAsync(data.AddEpisode(first, "Done"), first);

        // Act
        var result = await data.RunAsync("process", "--new");

        // Assert
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Queued 2 jobs", result.StandardOutput);
        Assert.Single(data.Core.Jobs.List(episodeId: fresh.Id));
        Assert.Single(data.Core.Jobs.List(episodeId: needsAudio.Id));
        Assert.Empty(data.Core.Jobs.List(episodeId: failed.Id));
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_try_to_process_without_saying_what_and_get_exit_code_2()
    {
        // Arrange
        using var data = new CliData();

        // Act
        var nothing = await data.RunAsync("process");
        var both = await data.RunAsync("process", "1", "--new");
        var unknown = await data.RunAsync("process", "77");

        // Assert
        Assert.Equal(2, nothing.ExitCode);
        Assert.Equal(2, both.ExitCode);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("Episode 77 not found", unknown.StandardError);
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_try_to_process_new_episodes_while_another_run_holds_the_lock_and_get_exit_code_75()
    {
        // Arrange
        using var data = new CliData();
        var episode = data.AddEpisode(data.AddFeed(), "Waiting");
        var lockFile = Path.Combine(data.DataDir, "locks", "process-new.lock");
        Directory.CreateDirectory(Path.GetDirectoryName(lockFile)!);
        await using var held = new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

        // Act
        var result = await data.RunAsync("process", "--new", "--wait");

        // Assert
        Assert.Equal(75, result.ExitCode);
        Assert.Contains("still running", result.StandardError);
        Assert.Empty(data.Core.Jobs.List(episodeId: episode.Id));
    }

    [Fact(Timeout = 60_000)]
    public async Task I_can_start_a_second_process_new_wait_while_the_first_still_waits_and_it_exits_75_then_ctrl_c_stops_the_first_with_130()
    {
        // Arrange: a job whose retry is a minute away keeps the first run waiting
        using var data = new CliData();
        var episode = data.AddEpisode(data.AddFeed(), "Slow");
        var job = data.Core.Queue.QueueDownload(episode.Id);
        var lease = data.Core.Jobs.TryClaim(JobType.Download, "elsewhere:1", TimeSpan.FromMinutes(1))!;
        data.Core.Jobs.Fail(job.Id, lease.Token, "temporary trouble");
        var firstOutput = new StringBuilder();
        var first = data.Command("process", "--new", "--wait", "--progress", "plain")
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(firstOutput))
            .ExecuteAsync();
        await Eventually.TrueAsync(() => firstOutput.ToString().Contains("retry at"), TimeSpan.FromSeconds(10), "the first run reports its retry");

        // Act
        var second = await data.RunAsync("process", "--new", "--wait");
        Process.Start("kill", ["-INT", first.ProcessId.ToString()])!.WaitForExit();
        var firstResult = await first;
        var third = await data.RunAsync("process", "--new", "--wait", "--timeout", "0.01");

        // Assert
        Assert.Contains("retry at", firstOutput.ToString());
        Assert.Equal(75, second.ExitCode);
        Assert.Equal(130, firstResult.ExitCode);
        Assert.Equal(1, third.ExitCode);
        Assert.Contains("--timeout", third.StandardError);
        Assert.Equal(JobStatus.Queued, data.Core.Jobs.Get(job.Id)!.Status);
    }

    [Fact(Timeout = 120_000)]
    public async Task I_can_process_an_episode_and_wait_for_its_transcript_with_workers_in_the_command()
    {
        // Arrange
        await using var podcast = PodcastFixture.Serve();
        using var data = new CliData();
        var added = await data.RunAsync("feed", "add", podcast.Url("/feed.xml").ToString(), "--json");
        var episode = data.Core.Episodes.ListByFeed(CliData.Json(added).GetProperty("feed").GetProperty("id").GetInt64()).Episodes.Single();

        // Act
        var result = await data.RunAsync("process", episode.Id.ToString(), "--wait", "--progress", "json", "--json");

        // Assert
        Assert.True(result.ExitCode == 0, result.StandardError);
        var json = CliData.Json(result);
        var outcome = Assert.Single(json.GetProperty("episodes").EnumerateArray());
        Assert.Equal("completed", outcome.GetProperty("outcome").GetString());
        Assert.Contains("\"event\":\"job\"", result.StandardError);
        var done = data.Core.Episodes.Get(episode.Id)!;
        Assert.Equal(EpisodeStatus.Completed, done.Status);
        Assert.Contains(
            "ask not what your country",
            (await File.ReadAllTextAsync(data.Core.Layout.Resolve(done.TranscriptPath!))).ToLowerInvariant()
        );
        Assert.Null(ServerInstance.TryRead(data.DataDir));
        Assert.Empty(data.Core.Jobs.List(JobStatus.Running));
    }

    [Fact(Timeout = 60_000)]
    public async Task I_can_process_an_episode_whose_audio_is_gone_and_get_exit_code_1_naming_it()
    {
        // Arrange
        await using var podcast = PodcastFixture.Serve();
        podcast.MapStatus("/audio/jfk.mp3", 404);
        using var data = new CliData();
        var feed = data.AddFeed("Broken", podcast.Url("/feed.xml").ToString());
        var episode = data.AddEpisode(feed, "Missing Audio", podcast.Url("/audio/jfk.mp3").ToString());

        // Act
        var result = await data.RunAsync("process", episode.Id.ToString(), "--wait");

        // Assert
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"episode {episode.Id}", result.StandardError);
        Assert.Contains("404", result.StandardError);
        Assert.Contains("failed", result.StandardOutput);
    }

    [Fact(Timeout = 60_000)]
    public async Task I_can_download_an_episode_and_wait_for_the_audio_only()
    {
        // Arrange
        await using var podcast = PodcastFixture.Serve();
        using var data = new CliData();
        var feed = data.AddFeed("Speeches", podcast.Url("/feed.xml").ToString());
        var episode = data.AddEpisode(feed, "Inaugural Address", podcast.Url("/audio/jfk.mp3").ToString());

        // Act
        var result = await data.RunAsync("download", episode.Id.ToString(), "--wait", "--progress", "none");

        // Assert
        Assert.True(result.ExitCode == 0, result.StandardError);
        var done = data.Core.Episodes.Get(episode.Id)!;
        Assert.NotNull(done.AudioPath);
        Assert.True(File.Exists(data.Core.Layout.Resolve(done.AudioPath)));
        Assert.Single(data.Core.Jobs.List(JobStatus.Queued, JobType.Transcribe, episode.Id));
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_transcribe_an_episode_by_id_once_its_audio_is_there()
    {
        // Arrange
        using var data = new CliData();
        var feed = data.AddFeed();
        var notDownloaded = data.AddEpisode(feed, "No Audio Yet");
        var downloaded = data.AddEpisode(feed, "Has Audio");
        data.Core.Episodes.SetAudio(downloaded.Id, "audio/Test/has-audio.mp3");

        // Act
        var refused = await data.RunAsync("transcribe", notDownloaded.Id.ToString());
        var queued = await data.RunAsync("transcribe", downloaded.Id.ToString(), "--json");
        var fileOption = await data.RunAsync("transcribe", downloaded.Id.ToString(), "--model", "tiny");

        // Assert
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("not downloaded yet", refused.StandardError);
        Assert.Equal(0, queued.ExitCode);
        Assert.Equal("transcribe", Assert.Single(CliData.Json(queued).GetProperty("jobs").EnumerateArray()).GetProperty("job_type").GetString());
        Assert.Single(data.Core.Jobs.List(JobStatus.Queued, JobType.Transcribe, downloaded.Id));
        Assert.Equal(2, fileOption.ExitCode);
    }

    [Fact(Timeout = 120_000)]
    public async Task I_can_process_and_wait_while_serve_runs_and_the_server_does_the_work()
    {
        // Arrange
        await using var podcast = PodcastFixture.Serve(withTranscript: true);
        using var data = new CliData();
        var feed = data.AddFeed("Speeches", podcast.Url("/feed.xml").ToString());
        var episode = data.AddEpisode(feed, "Inaugural Address", podcast.Url("/audio/jfk.mp3").ToString());
        await using var server = await ServeProcess.StartAsync(data.DataDir, CliData.Environment);

        // Act
        var result = await data.RunAsync("process", episode.Id.ToString(), "--wait", "--progress", "plain");

        // Assert
        Assert.True(result.ExitCode == 0, result.StandardError + "\n--- server ---\n" + server.Log);
        Assert.Contains("cast2md serve is running", result.StandardError);
        var done = data.Core.Episodes.Get(episode.Id)!;
        Assert.Equal(EpisodeStatus.Completed, done.Status);
        Assert.DoesNotContain(data.Core.Jobs.History(data.Core.Jobs.List(episodeId: episode.Id).First().Id), h =>
            h.Actor?.StartsWith("cli-") == true
        );
    }
}
