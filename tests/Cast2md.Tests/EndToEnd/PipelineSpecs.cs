using Cast2md.Library;
using Cast2md.Processing;
using Cast2md.Queue;
using Cast2md.Services;
using Cast2md.Tests.Infra;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Cast2md.Tests.EndToEnd;

/// <summary>Feed to Markdown with every real part: fixture HTTP server, SQLite, ffmpeg, whisper.cpp in the published binary.</summary>
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed class PipelineSpecs
{
    private static Cast2mdCore OpenCore(TempDir dir) => Cast2mdCore.Open(dir.Combine("data"), name => name switch
            {
                "WHISPER_MODEL" => Paths.RealModel,
                "WHISPER_DEVICE" => "cpu",
                "WHISPER_VAD_MODEL" => Paths.VadModel,
                _ => null,
            });

    private static async Task RunWorkersUntilAsync(Cast2mdCore core, Func<bool> done)
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var pool = new WorkerPool(
            core,
            new WorkerPoolOptions { TranscriberExecutable = Cast2mdBinary.Path, IdlePoll = TimeSpan.FromMilliseconds(100) },
            NullLoggerFactory.Instance
        );
        var running = pool.RunAsync(stop.Token);
        try
        {
            await Eventually.TrueAsync(done, TimeSpan.FromSeconds(90), "the workers finish the episode");
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task I_can_subscribe_a_feed_process_its_episode_and_get_a_markdown_transcript_with_the_spoken_words()
    {
        // Arrange
        await using var podcast = PodcastFixture.Serve();
        using var dir = TempDir.Create();
        var core = OpenCore(dir);

        // Act
        var added = await core.FeedService.AddAsync(podcast.Url("/feed.xml").ToString());
        var episode = core.Episodes.ListByFeed(added.Feed.Id).Episodes.Single();
        core.Queue.Process(episode.Id);
        await RunWorkersUntilAsync(core, () => core.Episodes.Get(episode.Id)!.Status is EpisodeStatus.Completed or EpisodeStatus.Failed);

        // Assert
        var done = core.Episodes.Get(episode.Id)!;
        Assert.Equal(EpisodeStatus.Completed, done.Status);
        Assert.Equal("whisper", done.TranscriptSource);
        Assert.Equal($"audio/Speeches_&_Talks/1961-01-20_Inaugural_Address_{episode.Id}.mp3", done.AudioPath);
        var markdown = await File.ReadAllTextAsync(core.Layout.Resolve(done.TranscriptPath!));
        Assert.StartsWith("# Inaugural Address\n\n*Language: en (", markdown);
        Assert.Contains("ask not what your country can do for you", markdown.ToLowerInvariant());
        var srt = await core.Transcripts.GetAsync(episode.Id, Cast2md.Transcripts.TranscriptFormat.Srt, CancellationToken.None);
        // The first cue starts where the voice-activity detector hears the first word (0.35 s into jfk), not at 0.
        Assert.Matches(@"^1\n00:00:00,[0-9]{3} --> ", srt.Content);
        Assert.Equal(1, core.Jobs.Counts(JobType.Download).Completed);
        Assert.Equal(1, core.Jobs.Counts(JobType.Transcribe).Completed);
    }

    [Fact(Timeout = 60_000)]
    public async Task I_can_subscribe_a_feed_with_a_publisher_transcript_and_get_it_without_downloading_audio()
    {
        // Arrange
        await using var podcast = PodcastFixture.Serve(withTranscript: true);
        using var dir = TempDir.Create();
        var core = OpenCore(dir);

        // Act
        var added = await core.FeedService.AddAsync(podcast.Url("/feed.xml").ToString());
        var episode = core.Episodes.ListByFeed(added.Feed.Id).Episodes.Single();
        await RunWorkersUntilAsync(core, () => core.Episodes.Get(episode.Id)!.Status is EpisodeStatus.Completed or EpisodeStatus.Failed);

        // Assert
        Assert.Equal(1, added.QueuedEpisodes);
        var done = core.Episodes.Get(episode.Id)!;
        Assert.Equal(EpisodeStatus.Completed, done.Status);
        Assert.Null(done.AudioPath);
        Assert.Empty(podcast.RequestsTo("/audio/jfk.mp3"));
        var markdown = await File.ReadAllTextAsync(core.Layout.Resolve(done.TranscriptPath!));
        Assert.Contains("*Source: Downloaded from publisher*", markdown);
        Assert.Contains("ask not what your country can do for you", markdown);
    }

    [Fact(Timeout = 60_000)]
    public async Task I_can_process_an_episode_whose_audio_is_gone_and_it_fails_permanently_without_retries()
    {
        // Arrange
        await using var podcast = PodcastFixture.Serve();
        using var dir = TempDir.Create();
        var core = OpenCore(dir);
        var added = await core.FeedService.AddAsync(podcast.Url("/feed.xml").ToString());
        var episode = core.Episodes.ListByFeed(added.Feed.Id).Episodes.Single();
        podcast.MapStatus("/audio/jfk.mp3", 404);

        // Act
        var job = core.Queue.Process(episode.Id);
        await RunWorkersUntilAsync(core, () => core.Jobs.Get(job.Id)!.Status is JobStatus.Failed or JobStatus.Completed);

        // Assert
        var failed = core.Jobs.Get(job.Id)!;
        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.True(failed.PermanentFailure);
        Assert.Equal(1, failed.Attempts);
        Assert.Contains("404", failed.ErrorMessage);
        Assert.True(core.Episodes.Get(episode.Id)!.PermanentFailure);
    }

    [Fact(Timeout = 60_000)]
    public async Task I_can_have_a_download_fail_transiently_and_the_episode_is_not_marked_failed_but_retried_later()
    {
        // The original marked the episode failed on every job failure, even retryable ones.
        // Arrange
        await using var podcast = PodcastFixture.Serve();
        using var dir = TempDir.Create();
        var core = OpenCore(dir);
        var added = await core.FeedService.AddAsync(podcast.Url("/feed.xml").ToString());
        var episode = core.Episodes.ListByFeed(added.Feed.Id).Episodes.Single();
        podcast.MapStatus("/audio/jfk.mp3", 503);

        // Act
        var job = core.Queue.Process(episode.Id);
        await RunWorkersUntilAsync(core, () => core.Jobs.History(job.Id).Any(h => h.Event == "retry_scheduled"));

        // Assert
        var retried = core.Jobs.Get(job.Id)!;
        Assert.Equal(JobStatus.Queued, retried.Status);
        Assert.False(retried.PermanentFailure);
        Assert.True(retried.RunAfter > DateTimeOffset.UtcNow);
        var stored = core.Episodes.Get(episode.Id)!;
        Assert.Equal(EpisodeStatus.NeedsAudio, stored.Status);
        Assert.False(stored.PermanentFailure);
        Assert.Contains("503", stored.ErrorMessage);
    }
}
