using Cast2md.Library;
using Cast2md.Queue;
using Cast2md.Search;
using Cast2md.Services;
using Cast2md.Tests.Infra;
using Cast2md.Transcripts;
using Xunit;

namespace Cast2md.Tests.Search;

/// <summary>A data folder whose transcripts are committed as a worker commits them: claim, stage, <see cref="JobOutcomes.Complete"/>.</summary>
internal sealed class SearchData : IDisposable
{
    private readonly TempDir _dir = TempDir.Create();

    public SearchData()
    {
        DataDir = _dir.Combine("data");
        Core = Cast2mdCore.Open(DataDir, _ => null);
    }

    public string DataDir { get; }

    public Cast2mdCore Core { get; }

    public Feed AddFeed(string title = "Search Cast") => Core.Feeds.Add($"https://example.test/{Guid.NewGuid():N}.xml", new FeedMetadata(title));

    public Episode AddEpisode(Feed feed, string title, DateTimeOffset? publishedAt = null, string? description = null) =>
        Core.Episodes.Get(
            Core.Episodes.Upsert(
                    feed.Id,
                    [
                        new EpisodeMetadata(Guid.NewGuid().ToString("N"), title)
                        {
                            AudioUrl = "https://example.test/audio.mp3",
                            Description = description,
                            PublishedAt = publishedAt ?? new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero),
                        },
                    ]
                )
                .Single()
        )!;

    /// <summary>Transcribes the episode with one segment per text, ten seconds apart, through the one outcome path.</summary>
    public Task TranscribeAsync(Episode episode, params string[] texts) => CommitTranscriptAsync(Core, episode, texts);

    /// <summary>See <see cref="TranscribeAsync"/>; for any core (the API specs' server).</summary>
    public static async Task CommitTranscriptAsync(Cast2mdCore core, Episode episode, params string[] texts)
    {
        var job = core.Jobs.Enqueue(episode.Id, JobType.Transcribe, actor: "spec").Job;
        var lease = core.Jobs.TryClaim(JobType.Transcribe, "spec-worker", TimeSpan.FromMinutes(1))
            ?? throw new InvalidOperationException("no job to claim");
        Assert.Equal(job.Id, lease.Job.Id);
        var transcript = new Transcript([.. texts.Select((t, i) => new TranscriptSegment(i * 10_000L, i * 10_000L + 9_000, t))])
        {
            Model = "tiny",
            Language = "en",
        };
        var feed = core.Feeds.Get(episode.FeedId)!;
        var result = await core.Transcripts.StageAsync(
            lease.Job.Id,
            lease.Token,
            core.Episodes.Get(episode.Id)!,
            feed.DisplayTitle,
            transcript,
            "whisper",
            CancellationToken.None
        );
        Assert.Equal(TransitionResult.Done, core.Outcomes.Complete(lease.Job.Id, lease.Token, "spec-worker", result).Result);
    }

    public SearchPage Search(string query, long? feed = null, DateTimeOffset? since = null, int limit = 20, int offset = 0) =>
        Core.Search.Search(new SearchRequest(query, feed, since, limit, offset));

    public long SegmentCount()
    {
        using var connection = Core.Database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT COUNT(*) FROM search_segments) + (SELECT COUNT(*) FROM search_segments_words);";
        return (long)command.ExecuteScalar()!;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}
