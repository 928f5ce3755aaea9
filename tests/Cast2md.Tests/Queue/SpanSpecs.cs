using Cast2md.Files;
using Cast2md.Library;
using Cast2md.Queue;
using Cast2md.Services;
using Cast2md.Tests.Infra;
using Cast2md.Transcripts;
using Xunit;

namespace Cast2md.Tests.Queue;

/// <summary>
/// A long transcription split into spans: each span is its own job (claimed, leased, retried alone), the transcript is
/// stitched in the transaction of the last span's result, and the family ends together when it fails or is cancelled.
/// Real SQLite and real files under a data folder; the spans' transcripts are written by hand.
/// </summary>
public sealed class SpanSpecs : IDisposable
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private static readonly SpanRange[] ThreeSpans = [new(0, 10_000), new(10_000, 20_000), new(20_000, SpanRange.OpenEnd)];

    private readonly TempDir _dir = TempDir.Create();
    private readonly Cast2mdCore _core;
    private readonly Episode _episode;

    public SpanSpecs()
    {
        _core = Cast2mdCore.Open(_dir.Combine("data"), _ => null);
        var feed = _core.Feeds.Add("https://example.test/feed.xml", new FeedMetadata("Span Cast"));
        _episode = _core.Episodes.Get(
            Assert.Single(
                _core.Episodes.Upsert(
                    feed.Id,
                    [
                        new EpisodeMetadata("long-one", "A long episode")
                        {
                            AudioUrl = "https://example.test/a.mp3",
                            PublishedAt = DateTimeOffset.UtcNow.AddDays(-1),
                        },
                    ]
                )
            )
        )!;
    }

    /// <summary>The episode's transcription, claimed by the local worker and split into three spans.</summary>
    private Job Split()
    {
        _core.Jobs.Enqueue(_episode.Id, JobType.Transcribe, actor: "spec");
        var lease = _core.Jobs.TryClaim(JobType.Transcribe, "local:transcribe-1", Lease, spans: true)!;
        Assert.Equal(TransitionResult.Done, _core.Outcomes.Split(lease.Job.Id, lease.Token, ThreeSpans, "local:transcribe-1"));
        return _core.Jobs.Get(lease.Job.Id)!;
    }

    private JobLease ClaimSpan(string worker) =>
        _core.Jobs.TryClaim(JobType.Transcribe, worker, Lease, spans: true) ?? throw new InvalidOperationException("no span to claim");

    /// <summary>What a worker heard in its span's audio (the span's range widened by the overlap): segments with absolute times.</summary>
    private static Transcript Heard(params (long StartMs, long EndMs, string Text)[] segments) =>
        new([.. segments.Select(s => new TranscriptSegment(s.StartMs, s.EndMs, s.Text))])
        {
            Language = "en",
            Model = "tiny",
            DurationMs = segments.Max(s => s.EndMs),
        };

    private Completion Commit(JobLease lease, Transcript heard) =>
        _core.Outcomes.Complete(
            lease.Job.Id,
            lease.Token,
            lease.Job.ClaimedBy!,
            _core.Transcripts.SpanResult(lease.Job.Id, lease.Token, _episode, "Span Cast", heard)
        );

    private string[] StoredSegments()
    {
        var stored = _core.Episodes.Get(_episode.Id)!;
        var sidecar = _core.Layout.Resolve(StorageLayout.SiblingTranscriptPath(stored.TranscriptPath!, TranscriptFormat.Json));
        var document = System.Text.Json.JsonSerializer.Deserialize(
            File.ReadAllText(sidecar),
            Json.Cast2mdJsonContext.Default.TranscriptJsonDocument
        )!;
        return [.. document.Segments.Select(s => s.Text)];
    }

    [Fact]
    public void A_split_transcription_is_stitched_into_one_transcript_in_order_without_the_seams_words_twice_when_its_last_span_commits()
    {
        // Arrange: three spans claimed by three workers; each heard a little of its neighbours' audio (the overlap)
        var parent = Split();
        var first = ClaimSpan("local:transcribe-1");
        var second = ClaimSpan("node:a");
        var third = ClaimSpan("node:b");
        Assert.Equal([0L, 10_000L, 20_000L], new[] { first, second, third }.Select(l => l.Job.SpanStartMs!.Value));

        // Act: they finish out of order
        var thirdDone = Commit(
            third,
            Heard((18_600, 19_900, "two and a half as heard by the third"), (20_400, 24_000, "three"), (25_000, 29_000, "four"))
        );
        var firstDone = Commit(first, Heard((200, 4_000, "one"), (8_600, 9_800, "one and a half"), (10_300, 11_400, "two as heard by the first")));
        var waiting = _core.Jobs.Get(parent.Id)!;
        var episodeMeanwhile = _core.Episodes.Get(_episode.Id)!;
        var lastDone = Commit(
            second,
            Heard(
                (8_600, 9_800, "one and a half as heard by the second"),
                (10_300, 11_400, "two"),
                (18_600, 19_900, "two and a half"),
                (20_400, 21_500, "three as heard by the second")
            )
        );

        // Assert: nothing is stored before the last span; then one transcript, each seam's words once, in time order
        Assert.Equal(
            [TransitionResult.Done, TransitionResult.Done, TransitionResult.Done],
            new[] { thirdDone.Result, firstDone.Result, lastDone.Result }
        );
        Assert.Equal(JobStatus.Running, waiting.Status);
        Assert.Null(episodeMeanwhile.TranscriptPath);
        Assert.Equal(JobStatus.Completed, _core.Jobs.Get(parent.Id)!.Status);
        var stored = _core.Episodes.Get(_episode.Id)!;
        Assert.Equal(EpisodeStatus.Completed, stored.Status);
        Assert.Equal(["one", "one and a half", "two", "two and a half", "three", "four"], StoredSegments());
        Assert.Contains("two and a half", File.ReadAllText(_core.Layout.Resolve(stored.TranscriptPath!)));
        Assert.Empty(Staged());
    }

    [Fact]
    public void A_span_that_fails_is_retried_alone_and_the_others_results_are_kept_for_the_stitch()
    {
        // Arrange
        var parent = Split();
        var first = ClaimSpan("node:a");
        var second = ClaimSpan("node:b");
        var third = ClaimSpan("local:transcribe-1");
        Commit(first, Heard((100, 900, "alpha")));
        Commit(third, Heard((20_100, 20_900, "gamma")));

        // Act: the middle span fails once, is queued again alone and taken by another worker
        Assert.Equal(TransitionResult.Done, _core.Outcomes.Fail(second.Job.Id, second.Token, "whisper crashed"));
        var episodeMeanwhile = _core.Episodes.Get(_episode.Id)!.Status;
        RunNow(second.Job.Id); // its back-off over

        var again = ClaimSpan("node:c");
        var done = Commit(again, Heard((10_100, 10_900, "beta")));

        // Assert
        Assert.Equal(EpisodeStatus.Transcribing, episodeMeanwhile);
        Assert.Equal(second.Job.Id, again.Job.Id);
        Assert.Equal(2, again.Job.Attempts);
        Assert.Equal(TransitionResult.Done, done.Result);
        Assert.Equal(JobStatus.Completed, _core.Jobs.Get(parent.Id)!.Status);
        Assert.Equal(["alpha", "beta", "gamma"], StoredSegments());
    }

    [Fact]
    public void A_split_transcription_shows_the_progress_of_its_spans_as_they_renew_complete_and_start_again()
    {
        // Arrange
        var parent = Split();
        var first = ClaimSpan("node:a");
        var second = ClaimSpan("node:b");
        double? Progress() => _core.Jobs.Get(parent.Id)!.ProgressPercent;
        var atSplit = Progress();

        // Act
        _core.Jobs.RenewLease(first.Job.Id, first.Token, Lease, 60);
        _core.Jobs.RenewHeld(second.Job.Id, "node:b", Lease, 30);
        var whileRunning = Progress();
        Commit(first, Heard((100, 900, "alpha")));
        var oneDone = Progress();
        _core.Outcomes.Fail(second.Job.Id, second.Token, "whisper crashed");
        var afterFailure = Progress();

        // Assert: the mean of the three spans (completed 100, running its own, queued 0)
        Assert.Equal(0, atSplit);
        Assert.Equal(30, whileRunning!.Value, 3);
        Assert.Equal((100.0 + 30) / 3, oneDone!.Value, 3);
        Assert.Equal(100.0 / 3, afterFailure!.Value, 3); // the failed span queued again: 0 until it runs
        Assert.Equal(JobStatus.Running, _core.Jobs.Get(parent.Id)!.Status);
    }

    [Fact]
    public void A_span_failed_for_good_fails_its_split_and_cancels_the_other_spans()
    {
        // Arrange
        var parent = Split();
        var first = ClaimSpan("node:a");
        var second = ClaimSpan("node:b");
        Commit(first, Heard((100, 900, "alpha")));

        // Act
        _core.Outcomes.Fail(second.Job.Id, second.Token, "the audio does not decode", permanent: true);

        // Assert
        Assert.Equal(JobStatus.Failed, _core.Jobs.Get(parent.Id)!.Status);
        var spans = _core.Jobs.List(episodeId: _episode.Id).Where(j => j.IsSpan).OrderBy(j => j.SpanStartMs).Select(j => j.Status).ToArray();
        Assert.Equal([JobStatus.Completed, JobStatus.Failed, JobStatus.Cancelled], spans);
        Assert.Equal(EpisodeStatus.Failed, _core.Episodes.Get(_episode.Id)!.Status);
        Assert.Null(_core.Jobs.TryClaim(JobType.Transcribe, "node:c", Lease, spans: true));
    }

    [Fact]
    public void Cancelling_a_split_transcription_cancels_every_span_and_their_late_results_are_refused()
    {
        // Arrange
        var parent = Split();
        var first = ClaimSpan("node:a");
        var second = ClaimSpan("node:b");
        Commit(first, Heard((100, 900, "alpha")));

        // Act: cancelling one span (as the episode's cancel finds it) cancels the family
        Assert.Equal(TransitionResult.Done, _core.Outcomes.Cancel(second.Job.Id, "admin"));
        var late = Commit(second, Heard((10_100, 10_900, "beta")));

        // Assert
        Assert.Equal(TransitionResult.LeaseLost, late.Result);
        Assert.Equal(JobStatus.Cancelled, _core.Jobs.Get(parent.Id)!.Status);
        Assert.All(_core.Jobs.List(episodeId: _episode.Id).Where(j => j.IsSpan && j.Id != first.Job.Id), j =>
            Assert.Equal(JobStatus.Cancelled, j.Status)
        );
        Assert.Null(_core.Jobs.TryClaim(JobType.Transcribe, "node:c", Lease, spans: true));
        Assert.Null(_core.Episodes.Get(_episode.Id)!.TranscriptPath);
        Assert.Empty(Staged());

        // The parent can be retried whole (a new split replaces the old spans)
        Assert.Equal(TransitionResult.Done, _core.Outcomes.Retry(parent.Id, "admin"));
        var whole = _core.Jobs.TryClaim(JobType.Transcribe, "node:c", Lease)!;
        Assert.Equal(parent.Id, whole.Job.Id);
        Assert.False(whole.Job.IsSplit);
    }

    [Fact]
    public void A_span_whose_lease_was_reclaimed_cannot_commit_and_the_one_who_holds_it_now_can()
    {
        // Arrange
        var parent = Split();
        var first = ClaimSpan("node:a");
        Commit(first, Heard((100, 900, "alpha")));
        var second = ClaimSpan("node:b");
        var third = ClaimSpan("node:c");
        Commit(third, Heard((20_100, 20_900, "gamma")));

        // Act: the middle span's holder goes silent; the span is reset and claimed by another worker
        Assert.Equal(TransitionResult.Done, _core.Outcomes.Reset(second.Job.Id, "admin"));
        var again = ClaimSpan("node:d");
        var stale = Commit(second, Heard((10_100, 10_900, "stale beta")));
        var fresh = Commit(again, Heard((10_100, 10_900, "beta")));

        // Assert
        Assert.Equal(TransitionResult.LeaseLost, stale.Result);
        Assert.Equal(TransitionResult.Done, fresh.Result);
        Assert.Equal(JobStatus.Completed, _core.Jobs.Get(parent.Id)!.Status);
        Assert.Equal(["alpha", "beta", "gamma"], StoredSegments());
    }

    [Fact]
    public void Spans_go_only_to_workers_that_take_spans_and_hold_nothing_else()
    {
        // Arrange
        var other = _core.Episodes.Upsert(_episode.FeedId, [new EpisodeMetadata("short-one", "A short episode")]).Single();
        Split();
        var held = _core.Jobs.TryClaim(JobType.Transcribe, "node:busy", Lease, spans: true)!;

        // Act
        var oldNode = _core.Jobs.TryClaim(JobType.Transcribe, "node:old", Lease);
        var busyNode = _core.Jobs.TryClaim(JobType.Transcribe, "node:busy", Lease, maxHeld: 2, spans: true);
        _core.Jobs.Enqueue(other, JobType.Transcribe, actor: "spec");
        var oldNodeLater = _core.Jobs.TryClaim(JobType.Transcribe, "node:old", Lease);

        // Assert: the old node gets the whole short episode, never a span; the busy node no second span
        Assert.True(held.Job.IsSpan);
        Assert.Null(oldNode);
        Assert.Null(busyNode);
        Assert.Equal(other, oldNodeLater!.Job.EpisodeId);
        Assert.False(oldNodeLater.Job.IsSpan);
    }

    [Fact]
    public void A_split_parent_waits_through_a_restart_and_the_lease_reaper_while_its_spans_are_requeued()
    {
        // Arrange
        var parent = Split();
        var first = ClaimSpan("node:a");

        // Act
        var requeued = _core.Jobs.RequeueAbandoned();
        var reaped = _core.Jobs.ReapExpiredLeases();
        var stuck = _core.Jobs.ResetStuck(DateTimeOffset.UtcNow.AddMinutes(1), "spec");

        // Assert
        Assert.Equal((1, 0, 0, 0), (requeued, reaped, stuck.Requeued, stuck.Failed));
        Assert.Equal(JobStatus.Running, _core.Jobs.Get(parent.Id)!.Status);
        Assert.Equal(JobStatus.Queued, _core.Jobs.Get(first.Job.Id)!.Status);
    }

    private IEnumerable<string> Staged()
    {
        var staging = Path.Combine(_core.Layout.TempDirectory, JobOutcomes.StagingFolder);
        return Directory.Exists(staging) ? Directory.EnumerateFiles(staging) : [];
    }

    private void RunNow(long jobId)
    {
        using var connection = _core.Database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE jobs SET run_after_ms = 0 WHERE id = $id;";
        command.Parameters.AddWithValue("$id", jobId);
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}
