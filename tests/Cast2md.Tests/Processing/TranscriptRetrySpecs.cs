using Cast2md.Library;
using Cast2md.Processing;
using Cast2md.Queue;
using Cast2md.Services;
using Cast2md.Tests.Infra;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Cast2md.Tests.Processing;

/// <summary>The original's waiting for publisher transcripts that are linked but not there yet.</summary>
public sealed class TranscriptRetrySpecs : IAsyncDisposable
{
    private readonly TempDir _dir = TempDir.Create();
    private readonly FixtureServer _publisher = FixtureServer.Start();
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private readonly Cast2mdCore _core;
    private readonly long _feedId;

    public TranscriptRetrySpecs()
    {
        _core = Cast2mdCore.Open(_dir.Combine("data"), name => name switch
            {
                "TRANSCRIPT_RETRY_DAYS" => "14",
                "AUTO_TRANSCRIBE" => "true",
                _ => null,
            });
        _feedId = _core.Feeds.Add("https://example.test/feed.xml", new FeedMetadata("Retry Cast")).Id;
    }

    private Episode AddEpisode(string title, TimeSpan age, bool linked = true)
    {
        var id = Assert.Single(
            _core.Episodes.Upsert(
                _feedId,
                [
                    new EpisodeMetadata(Guid.NewGuid().ToString("N"), title)
                    {
                        AudioUrl = "https://example.test/audio.mp3",
                        TranscriptUrl = linked ? _publisher.Url("/transcript.vtt").ToString() : null,
                        TranscriptType = linked ? "text/vtt" : null,
                        PublishedAt = _clock.GetUtcNow() - age,
                    },
                ]
            )
        );
        return _core.Episodes.Get(id)!;
    }

    private async Task FetchTranscriptAsync(Episode episode)
    {
        _core.Jobs.Enqueue(episode.Id, JobType.TranscriptDownload);
        await RunClaimedAsync();
    }

    private Task RunClaimedAsync() => ClaimedJob.RunTranscriptDownloadAsync(_core, _clock);

    [Fact(Timeout = 20000)]
    public async Task I_can_have_a_young_episode_wait_for_a_publisher_transcript_that_is_not_there_yet()
    {
        // Arrange
        _publisher.MapStatus("/transcript.vtt", 404);
        var young = AddEpisode("Yesterday", TimeSpan.FromDays(1));

        // Act
        await FetchTranscriptAsync(young);

        // Assert
        var stored = _core.Episodes.Get(young.Id)!;
        Assert.Equal(EpisodeStatus.AwaitingTranscript, stored.Status);
        Assert.Contains("404", stored.ErrorMessage);
        Assert.Contains("Could not fetch the transcript", stored.ErrorMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("feed", stored.ErrorMessage, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(_core.Jobs.List(JobStatus.Queued, JobType.Download));
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_have_an_old_episode_with_a_missing_publisher_transcript_need_audio_at_once()
    {
        // Arrange
        _publisher.MapStatus("/transcript.vtt", 404);
        var old = AddEpisode("Last month", TimeSpan.FromDays(30));

        // Act
        await FetchTranscriptAsync(old);

        // Assert
        Assert.Equal(EpisodeStatus.NeedsAudio, _core.Episodes.Get(old.Id)!.Status);
        Assert.Equal(old.Id, Assert.Single(_core.Jobs.List(JobStatus.Queued, JobType.Download)).EpisodeId);
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_have_the_scheduler_look_again_once_a_day_and_then_find_the_transcript()
    {
        // Arrange
        _publisher.MapStatus("/transcript.vtt", 404);
        var young = AddEpisode("Yesterday", TimeSpan.FromDays(1));
        await FetchTranscriptAsync(young);
        var scheduler = new TranscriptRetryScheduler(_core, NullLogger.Instance, _clock);

        // Act
        var tooSoon = scheduler.RunOnce();
        _clock.Advance(TimeSpan.FromHours(25));
        var due = scheduler.RunOnce();
        var queuedAlready = scheduler.RunOnce();

        // Assert
        Assert.Equal((0, 0), tooSoon);
        Assert.Equal((1, 0), due);
        Assert.Equal((0, 0), queuedAlready);
        var retry = Assert.Single(_core.Jobs.List(JobStatus.Queued, JobType.TranscriptDownload));
        Assert.Equal((young.Id, QueueService.TranscriptRetryPriority), (retry.EpisodeId, retry.Priority));

        // And the transcript has appeared by now.
        _publisher.MapText("/transcript.vtt", "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nHello there.\n", "text/vtt");
        await RunClaimedAsync();
        Assert.Equal(EpisodeStatus.Completed, _core.Episodes.Get(young.Id)!.Status);
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_have_the_scheduler_give_up_on_an_episode_older_than_the_retry_window()
    {
        // Arrange
        _publisher.MapStatus("/transcript.vtt", 404);
        var episode = AddEpisode("Almost two weeks", TimeSpan.FromDays(13));
        await FetchTranscriptAsync(episode);
        Assert.Equal(EpisodeStatus.AwaitingTranscript, _core.Episodes.Get(episode.Id)!.Status);
        var scheduler = new TranscriptRetryScheduler(_core, NullLogger.Instance, _clock);

        // Act
        _clock.Advance(TimeSpan.FromDays(2));
        var result = scheduler.RunOnce();

        // Assert
        Assert.Equal((0, 1), result);
        Assert.Equal(EpisodeStatus.NeedsAudio, _core.Episodes.Get(episode.Id)!.Status);
        Assert.Empty(_core.Jobs.List(JobStatus.Queued, JobType.TranscriptDownload));
        Assert.Equal(episode.Id, Assert.Single(_core.Jobs.List(JobStatus.Queued, JobType.Download)).EpisodeId);
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_run_the_scheduler_in_the_background_with_a_short_interval()
    {
        // Arrange
        var waiting = AddEpisode("Waiting", TimeSpan.FromDays(1));
        _core.Episodes.SetStatus(waiting.Id, EpisodeStatus.AwaitingTranscript);
        using var stop = new CancellationTokenSource();
        var run = new TranscriptRetryScheduler(_core, NullLogger.Instance).RunAsync(TimeSpan.Zero, TimeSpan.FromMilliseconds(50), stop.Token);

        // Act
        await Eventually.TrueAsync(() => _core.Jobs.List(episodeId: waiting.Id).Count > 0, TimeSpan.FromSeconds(5), "a job for the waiting episode");
        stop.Cancel();
        await run;

        // Assert
        Assert.Equal(JobType.TranscriptDownload, Assert.Single(_core.Jobs.List(episodeId: waiting.Id)).Type);
    }

    public async ValueTask DisposeAsync()
    {
        await _publisher.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}
