using Cast2md.Library;
using Cast2md.Queue;
using Cast2md.Services;
using Cast2md.Tests.Infra;
using Cast2md.Tests.Media;
using Xunit;

namespace Cast2md.Tests.EndToEnd;

/// <summary>A server killed mid-write loses nothing: after a restart each job completes once and no file is half-written.</summary>
[Collection(RealProcessesCollection.Name)]
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed class CrashRecoverySpecs
{
    private static readonly Dictionary<string, string?> StandIn = new()
    {
        ["WHISPER_MODEL"] = Paths.StandInModel,
        ["WHISPER_DEVICE"] = "cpu",
        // The servers are killed while the stand-in model transcribes minutes of noise, which voice-activity
        // detection would skip in seconds.
        ["WHISPER_VAD"] = "false",
    };

    private static Cast2mdCore OpenCore(string dataDirectory) => Cast2mdCore.Open(dataDirectory, name => StandIn.GetValueOrDefault(name));

    private static IEnumerable<string> FilesUnder(string dataDirectory, string folder) =>
        Directory.Exists(Path.Combine(dataDirectory, folder))
            ? Directory.EnumerateFiles(Path.Combine(dataDirectory, folder), "*", SearchOption.AllDirectories)
            : [];

    [Fact(Timeout = 120_000)]
    public async Task I_can_kill_the_server_during_a_download_and_after_a_restart_the_episode_completes_once()
    {
        // Arrange: the audio trickles in, so the kill lands mid-download.
        await using var podcast = PodcastFixture.Serve();
        podcast.Map("/audio/jfk.mp3", Infra.FixtureResponse.File(Paths.JfkMp3, "audio/mpeg").Slow(TimeSpan.FromMilliseconds(250), 4096));
        using var dir = TempDir.Create();
        var data = dir.Combine("data");
        var core = OpenCore(data);
        var feed = await core.FeedService.AddAsync(podcast.Url("/feed.xml").ToString());
        var episode = core.Episodes.ListByFeed(feed.Feed.Id).Episodes.Single();
        var server = await ServeProcess.StartAsync(data, StandIn);

        // Act
        var job = core.Queue.Process(episode.Id);
        await Eventually.TrueAsync(
            () => core.Episodes.Get(episode.Id)!.Status == EpisodeStatus.Downloading && podcast.RequestsTo("/audio/jfk.mp3").Count > 0,
            TimeSpan.FromSeconds(30),
            "the download to start"
        );
        await Task.Delay(1000);
        await server.KillHardAsync();
        var audioAfterKill = FilesUnder(data, "audio").Where(f => !f.EndsWith(".part")).ToList();
        podcast.MapFile("/audio/jfk.mp3", Paths.JfkMp3, "audio/mpeg");
        await using var restarted = await ServeProcess.StartAsync(data, StandIn);
        // The episode is marked done a moment before its job is: wait for both, or the job may still read running.
        await Eventually.TrueAsync(
            () =>
                core.Episodes.Get(episode.Id)!.Status is EpisodeStatus.Completed or EpisodeStatus.Failed
                && core.Jobs.List().All(j => j.Status is not (JobStatus.Queued or JobStatus.Running)),
            TimeSpan.FromSeconds(60),
            "the episode to complete after the restart"
        );

        // Assert
        Assert.Empty(audioAfterKill);
        Assert.Equal(EpisodeStatus.Completed, core.Episodes.Get(episode.Id)!.Status);
        Assert.Equal(JobStatus.Completed, core.Jobs.Get(job.Id)!.Status);
        Assert.Single(core.Jobs.History(job.Id), h => h.Event == "completed");
        Assert.Contains(core.Jobs.History(job.Id), h => h.Event == "requeued");
        var audio = Assert.Single(FilesUnder(data, "audio"));
        Assert.Equal(new FileInfo(Paths.JfkMp3).Length, new FileInfo(audio).Length);
        Assert.Single(FilesUnder(data, "transcripts"), f => f.EndsWith(".md"));
    }

    [Fact(Timeout = 120_000)]
    public async Task I_can_kill_the_server_during_a_transcription_and_after_a_restart_the_episode_completes_once()
    {
        // Arrange: five minutes of noise keep the transcriber busy long enough to kill the server under it.
        using var dir = TempDir.Create();
        var noise = await TestAudio.GenerateAsync(
            dir,
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
        await using var podcast = PodcastFixture.Serve();
        podcast.MapFile("/audio/jfk.mp3", noise, "audio/mpeg");
        var data = dir.Combine("data");
        var core = OpenCore(data);
        var feed = await core.FeedService.AddAsync(podcast.Url("/feed.xml").ToString());
        var episode = core.Episodes.ListByFeed(feed.Feed.Id).Episodes.Single();
        var server = await ServeProcess.StartAsync(data, StandIn);

        // Act
        core.Queue.Process(episode.Id);
        await Eventually.TrueAsync(
            () => core.Episodes.Get(episode.Id)!.Status == EpisodeStatus.Transcribing,
            TimeSpan.FromSeconds(30),
            "the transcription to start"
        );
        await Task.Delay(1500);
        await server.KillHardAsync();
        var transcriptsAfterKill = FilesUnder(data, "transcripts").ToList();
        await using var restarted = await ServeProcess.StartAsync(data, StandIn);
        // The episode is marked done a moment before its job is: wait for both, or the job may still read running.
        await Eventually.TrueAsync(
            () =>
                core.Episodes.Get(episode.Id)!.Status is EpisodeStatus.Completed or EpisodeStatus.Failed
                && core.Jobs.List().All(j => j.Status is not (JobStatus.Queued or JobStatus.Running)),
            TimeSpan.FromSeconds(90),
            "the episode to complete after the restart"
        );

        // Assert
        Assert.Empty(transcriptsAfterKill);
        Assert.Equal(EpisodeStatus.Completed, core.Episodes.Get(episode.Id)!.Status);
        var transcribe = Assert.Single(core.Jobs.List(type: JobType.Transcribe));
        Assert.Equal(JobStatus.Completed, transcribe.Status);
        Assert.Single(core.Jobs.History(transcribe.Id), h => h.Event == "completed");
        Assert.Equal([".json", ".md"], FilesUnder(data, "transcripts").Select(Path.GetExtension).Order());
        Assert.Empty(FilesUnder(data, "tmp"));
    }

    [Fact(Timeout = 120_000)]
    public async Task I_can_stop_the_server_with_sigterm_mid_job_and_it_returns_the_job_to_the_queue_within_ten_seconds()
    {
        // Arrange
        using var dir = TempDir.Create();
        var noise = await TestAudio.GenerateAsync(
            dir,
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
        await using var podcast = PodcastFixture.Serve();
        podcast.MapFile("/audio/jfk.mp3", noise, "audio/mpeg");
        var data = dir.Combine("data");
        var core = OpenCore(data);
        var feed = await core.FeedService.AddAsync(podcast.Url("/feed.xml").ToString());
        var episode = core.Episodes.ListByFeed(feed.Feed.Id).Episodes.Single();
        await using var server = await ServeProcess.StartAsync(data, StandIn);
        core.Queue.Process(episode.Id);
        await Eventually.TrueAsync(
            () => core.Episodes.Get(episode.Id)!.Status == EpisodeStatus.Transcribing,
            TimeSpan.FromSeconds(30),
            "the transcription to start"
        );

        // Act
        var clock = System.Diagnostics.Stopwatch.StartNew();
        server.Terminate();
        var result = await server.Exited.WaitAsync(TimeSpan.FromSeconds(15));

        // Assert
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed} to stop\n{server.Log}");
        Assert.Equal(0, result.ExitCode);
        var transcribe = Assert.Single(core.Jobs.List(type: JobType.Transcribe));
        Assert.Equal(JobStatus.Queued, transcribe.Status);
        Assert.Equal(0, transcribe.Attempts);
        Assert.Equal(EpisodeStatus.AudioReady, core.Episodes.Get(episode.Id)!.Status);
        Assert.False(File.Exists(Path.Combine(data, "server.pid")));
    }
}
