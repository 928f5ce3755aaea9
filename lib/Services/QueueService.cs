using Cast2md.Library;
using Cast2md.Queue;
using Cast2md.Storage;

namespace Cast2md.Services;

/// <summary>
/// Putting episodes into the queue, with the original cast2md's rules: one active job per episode and
/// type, transcription only once audio is there, "process" = download if needed, then transcribe.
/// </summary>
public sealed partial class QueueService(EpisodeStore episodes, FeedStore feeds, JobStore jobs, QueueSignal signal, Database database)
{
    /// <summary>Priority of jobs the system queues itself (discovery, the transcription after a download).</summary>
    public const int AutomaticPriority = 1;

    public const int DefaultPriority = 10;

    public Job QueueTranscriptDownload(long episodeId, int priority = DefaultPriority)
    {
        var episode = RequireEpisode(episodeId);
        if (episode.TranscriptPath is not null)
            throw new ConflictException($"Episode {episodeId} already has a transcript.");
        return Enqueue(episode.Id, JobType.TranscriptDownload, priority);
    }

    public Job QueueDownload(long episodeId, int priority = DefaultPriority)
    {
        var episode = RequireEpisode(episodeId);
        if (episode.AudioPath is not null)
            throw new ConflictException($"Episode {episodeId} is already downloaded.");
        if (episode.AudioUrl is null)
            throw new InvalidRequestException($"Episode {episodeId} has no audio enclosure.");
        return Enqueue(episode.Id, JobType.Download, priority);
    }

    /// <param name="model">The model this transcription needs; null: whatever model its worker runs.</param>
    public Job QueueTranscribe(long episodeId, int priority = DefaultPriority, string? model = null)
    {
        var episode = RequireEpisode(episodeId);
        if (episode.AudioPath is null)
            throw new InvalidRequestException($"Episode {episodeId} is not downloaded yet.");
        if (model is not null && (string.IsNullOrWhiteSpace(model) || model.Length > 200 || model.Any(char.IsControl)))
            throw new InvalidRequestException("model must be a model name such as large-v3-turbo (at most 200 characters).");
        return Enqueue(episode.Id, JobType.Transcribe, priority, model?.Trim());
    }

    /// <summary>Download (the transcription follows by itself), or transcribe at once when the audio is already there.</summary>
    public Job Process(long episodeId, int priority = DefaultPriority)
    {
        var episode = RequireEpisode(episodeId);
        return episode.AudioPath is not null ? QueueTranscribe(episodeId, priority) : QueueDownload(episodeId, priority);
    }

    /// <summary>
    /// The "Get All Transcripts" action: every episode of the feed without a transcript gets the cheapest next step —
    /// the publisher's transcript if it offers one, else its audio for transcription.
    /// </summary>
    public BatchResult ProcessFeed(long feedId, int priority = DefaultPriority)
    {
        _ = feeds.Get(feedId) ?? throw new NotFoundException($"Feed {feedId} not found.");
        var (all, _) = episodes.ListByFeed(feedId, limit: 10_000);
        return Batch(all.Select(e => e.Id), priority);
    }

    /// <summary>Every listed episode without a transcript is queued as in <see cref="ProcessFeed"/>.</summary>
    public BatchResult Batch(IEnumerable<long> episodeIds, int priority = DefaultPriority)
    {
        int queued = 0,
            skipped = 0;
        foreach (var id in episodeIds)
        {
            var episode = episodes.Get(id);
            if (episode is null || episode.TranscriptPath is not null)
            {
                skipped++;
                continue;
            }
            var type = NextStep(episode);
            if (type is null)
            {
                skipped++;
                continue;
            }
            var result = jobs.Enqueue(episode.Id, type.Value, priority, actor: "batch");
            if (result.Created)
                queued++;
            else
                skipped++;
        }
        if (queued > 0)
            signal.Notify();
        return new BatchResult(queued, skipped);
    }

    /// <summary>The next job an episode without a transcript needs, or null when it cannot progress.</summary>
    public static JobType? NextStep(Episode episode) =>
        episode switch
        {
            { AudioPath: not null } => JobType.Transcribe,
            { TranscriptUrl: not null, Status: EpisodeStatus.New or EpisodeStatus.AwaitingTranscript } => JobType.TranscriptDownload,
            { AudioUrl: not null } => JobType.Download,
            _ => null,
        };

    public IReadOnlyList<QueueTypeOverview> Overview(int queuedLimit = 20) =>
        Enum.GetValues<JobType>()
            .Select(type => new QueueTypeOverview(
                type,
                jobs.Counts(type),
                Summaries(jobs.List(JobStatus.Running, type, limit: 1000)),
                Summaries(jobs.List(JobStatus.Queued, type, limit: queuedLimit))
            ))
            .ToList();

    /// <summary>Jobs with their episode and feed titles, in one query for the titles.</summary>
    public IReadOnlyList<JobSummary> Summaries(IReadOnlyList<Job> list)
    {
        if (list.Count == 0)
            return [];
        using var connection = database.Connect();
        var titles = new Dictionary<long, (string Title, long FeedId, string FeedTitle)>();
        using var command = connection
            .Command(
                "SELECT e.id, e.title, f.id, COALESCE(f.custom_title, f.title) FROM episodes e JOIN feeds f ON f.id = e.feed_id "
                    + "WHERE e.id IN (SELECT value FROM json_each($ids));"
            )
            .With("$ids", "[" + string.Join(',', list.Select(j => j.EpisodeId).Distinct()) + "]");
        using (var reader = command.ExecuteReader())
            while (reader.Read())
                titles[reader.GetInt64(0)] = (reader.GetString(1), reader.GetInt64(2), reader.GetString(3));
        return list.Select(j =>
                titles.TryGetValue(j.EpisodeId, out var t)
                    ? new JobSummary(j, t.Title, t.FeedId, t.FeedTitle)
                    : new JobSummary(j, "(deleted episode)", 0, "")
            )
            .ToList();
    }

    private Job Enqueue(long episodeId, JobType type, int priority, string? model = null)
    {
        var result = jobs.Enqueue(episodeId, type, priority, actor: "api", model: model);
        if (!result.Created)
            throw new ConflictException($"Episode {episodeId} already has a {type.ToName()} job {result.Job.Status.ToName()} (job {result.Job.Id}).");
        signal.Notify();
        return result.Job;
    }

    private Episode RequireEpisode(long episodeId) => episodes.Get(episodeId) ?? throw new NotFoundException($"Episode {episodeId} not found.");
}
