using Cast2md.Library;
using Cast2md.Processing;
using Cast2md.Processing.Handlers;
using Cast2md.Queue;
using Cast2md.Services;
using Cast2md.Tests.Infra;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Cast2md.Tests.Processing;

/// <summary>The server's own workers commit a result only under their lease, and the start-up pass settles what a crash left.</summary>
public sealed class LocalOutcomeSpecs : IAsyncDisposable
{
    private const string Vtt = "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nThe publisher's words.\n";

    private readonly TempDir _dir = TempDir.Create();
    private readonly FixtureServer _publisher = FixtureServer.Start();
    private readonly Cast2mdCore _core;
    private readonly long _feedId;

    public LocalOutcomeSpecs()
    {
        _core = Cast2mdCore.Open(_dir.Combine("data"), _ => null);
        _feedId = _core.Feeds.Add("https://example.test/feed.xml", new FeedMetadata("Outcome Cast")).Id;
    }

    private Episode AddEpisode(string title) =>
        _core.Episodes.Get(
            Assert.Single(
                _core.Episodes.Upsert(
                    _feedId,
                    [
                        new EpisodeMetadata(Guid.NewGuid().ToString("N"), title)
                        {
                            AudioUrl = "https://example.test/audio.mp3",
                            TranscriptUrl = _publisher.Url("/transcript.vtt").ToString(),
                            TranscriptType = "text/vtt",
                            PublishedAt = DateTimeOffset.UtcNow.AddDays(-1),
                        },
                    ]
                )
            )
        )!;

    [Fact(Timeout = 30000)]
    public async Task A_job_cancelled_while_its_handler_finishes_changes_neither_the_episode_nor_the_files()
    {
        // Arrange: the publisher answers only once the job was cancelled — before the worker's next renewal notices
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _publisher.Map("/transcript.vtt", async _ =>
        {
            await cancelled.Task;
            return FixtureResponse.Text(Vtt, "text/vtt");
        });
        var episode = AddEpisode("Cancelled mid-fetch");
        var job = _core.Jobs.Enqueue(episode.Id, JobType.TranscriptDownload, actor: "spec").Job;
        var worker = new JobWorker(
            _core.Jobs,
            new TranscriptDownloadHandler(_core, NullLogger.Instance),
            "local:transcript-1",
            _core.Signal,
            NullLogger.Instance
        )
        {
            LeaseDuration = TimeSpan.FromMinutes(1),
            IdlePoll = TimeSpan.FromMilliseconds(50),
            Outcomes = _core.Outcomes,
        };
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => worker.RunAsync(stop.Token));
        await Eventually.TrueAsync(
            () => _publisher.RequestsTo("/transcript.vtt").Count > 0,
            TimeSpan.FromSeconds(10),
            "the worker asks the publisher"
        );

        // Act
        Assert.Equal(TransitionResult.Done, _core.Outcomes.Cancel(job.Id, "spec"));
        cancelled.SetResult();
        await Eventually.TrueAsync(() => worker.Current is null, TimeSpan.FromSeconds(10), "the worker is done with the job");
        await stop.CancelAsync();
        await run;

        // Assert
        Assert.Equal(JobStatus.Cancelled, _core.Jobs.Get(job.Id)!.Status);
        var stored = _core.Episodes.Get(episode.Id)!;
        Assert.Null(stored.TranscriptPath);
        Assert.NotEqual(EpisodeStatus.Completed, stored.Status);
        Assert.False(
            Directory.Exists(_core.Layout.TranscriptsDirectory)
                && Directory.EnumerateFiles(_core.Layout.TranscriptsDirectory, "*", SearchOption.AllDirectories).Any()
        );
        Assert.Empty(Staged());
    }

    [Fact(Timeout = 30000)]
    public async Task A_result_committed_but_not_moved_into_place_is_adopted_at_start_and_an_uncommitted_one_removed()
    {
        // Arrange: the move after the commit fails (a directory stands where the Markdown goes), as a crash would leave it
        _publisher.MapText("/transcript.vtt", Vtt, "text/vtt");
        var episode = AddEpisode("Crash after commit");
        _core.Jobs.Enqueue(episode.Id, JobType.TranscriptDownload, actor: "spec");
        var (lease, result) = await ClaimedJob.HandleTranscriptDownloadAsync(_core, "local:transcript-1");
        var markdown = result.Files.Single(f => f.FinalPath.EndsWith(".md", StringComparison.Ordinal)).FinalPath;
        Directory.CreateDirectory(markdown);
        var completion = _core.Outcomes.Complete(lease.Job.Id, lease.Token, "local:transcript-1", result);
        Directory.Delete(markdown);
        var abandoned = JobOutcomes.StagingPath(_core.Layout, 999_999, "0123456789abcdef0123456789abcdef", ".md");
        await File.WriteAllTextAsync(abandoned, "# a result no claim committed");

        // Act
        var report = _core.Outcomes.Reconcile();

        // Assert
        Assert.Equal(TransitionResult.Done, completion.Result);
        Assert.Equal((1, 1), (report.Adopted, report.Removed));
        Assert.Contains("The publisher's words.", await File.ReadAllTextAsync(markdown));
        Assert.Equal(markdown, _core.Layout.Resolve(_core.Episodes.Get(episode.Id)!.TranscriptPath!));
        Assert.Empty(Staged());
    }

    [Fact(Timeout = 30000)]
    public async Task An_episode_whose_transcript_file_is_missing_at_start_gets_its_work_queued_again()
    {
        // Arrange
        _publisher.MapText("/transcript.vtt", Vtt, "text/vtt");
        var episode = AddEpisode("Lost file");
        _core.Jobs.Enqueue(episode.Id, JobType.TranscriptDownload, actor: "spec");
        var (lease, result) = await ClaimedJob.HandleTranscriptDownloadAsync(_core, "local:transcript-1");
        _core.Outcomes.Complete(lease.Job.Id, lease.Token, "local:transcript-1", result);
        File.Delete(_core.Layout.Resolve(_core.Episodes.Get(episode.Id)!.TranscriptPath!));

        // Act
        var report = _core.Outcomes.Reconcile();

        // Assert
        Assert.Equal(1, report.Requeued);
        var stored = _core.Episodes.Get(episode.Id)!;
        Assert.Null(stored.TranscriptPath);
        Assert.NotEqual(EpisodeStatus.Completed, stored.Status);
        Assert.Single(_core.Jobs.List(JobStatus.Queued, JobType.TranscriptDownload), j => j.EpisodeId == episode.Id);
    }

    private string[] Staged()
    {
        var staging = Path.Combine(_core.Layout.TempDirectory, JobOutcomes.StagingFolder);
        return Directory.Exists(staging) ? Directory.GetFiles(staging) : [];
    }

    public async ValueTask DisposeAsync()
    {
        await _publisher.DisposeAsync();
        _dir.Dispose();
    }
}
