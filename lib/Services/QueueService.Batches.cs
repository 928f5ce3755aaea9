using Cast2md.Library;
using Cast2md.Models;
using Cast2md.Queue;
using Cast2md.Settings;

namespace Cast2md.Services;

/// <summary>Re-transcription, forced transcript retries and the per-feed and range batches of the original cast2md's queue API.</summary>
public sealed partial class QueueService
{
    /// <summary>Priority of the scheduler's publisher-transcript retries: 5, between the automatic steps (1) and a user's request (10), as in the original.</summary>
    public const int TranscriptRetryPriority = 5;

    /// <summary>
    /// The model file a transcription would use now, as the transcriber records it in <c>transcript_model</c>:
    /// the catalogue file WHISPER_MODEL + WHISPER_COMPUTE_TYPE resolve to ("ggml-tiny-q8_0.bin"), or the file name
    /// when WHISPER_MODEL is a path (or a name the catalogue does not know).
    /// </summary>
    public static string CurrentModel(SettingsStore settings)
    {
        var name = settings.GetString(SettingDefinitions.WhisperModel).Trim();
        if (ModelPaths.HasDirectorySeparator(name))
            return Path.GetFileName(name);
        try
        {
            return ModelCatalog.Resolve(name, settings.GetString(SettingDefinitions.WhisperComputeType)).Model.FileName;
        }
        catch (ModelException)
        {
            return Path.GetFileName(name);
        }
    }

    /// <summary>
    /// True when a completed episode still has its audio and its transcript came from another model than
    /// <paramref name="currentModel"/> — or from the publisher (no model), as in the original.
    /// </summary>
    public static bool NeedsRetranscription(Episode episode, string currentModel) =>
        episode is { Status: EpisodeStatus.Completed, AudioPath: not null }
        && !string.Equals(episode.TranscriptModel, currentModel, StringComparison.OrdinalIgnoreCase);

    /// <summary>Transcribes a completed episode again with the current model: the episode goes back to audio_ready.</summary>
    public Job Retranscribe(long episodeId, string currentModel, int priority = DefaultPriority)
    {
        var episode = RequireEpisode(episodeId);
        if (episode.Status != EpisodeStatus.Completed)
            throw new InvalidRequestException($"Episode {episodeId} is {episode.Status.ToName()}: only completed episodes can be transcribed again.");
        if (episode.AudioPath is null)
            throw new InvalidRequestException($"Episode {episodeId} has no audio file to transcribe again.");
        if (string.Equals(episode.TranscriptModel, currentModel, StringComparison.OrdinalIgnoreCase))
            throw new InvalidRequestException($"Episode {episodeId} was already transcribed with {currentModel}.");
        var job = Enqueue(episode.Id, JobType.Transcribe, priority);
        episodes.SetStatus(episode.Id, EpisodeStatus.AudioReady);
        return job;
    }

    /// <summary>Every episode of the feed that <see cref="NeedsRetranscription"/> gets a transcribe job.</summary>
    public BatchResult RetranscribeFeed(long feedId, string currentModel, int priority = DefaultPriority)
    {
        int queued = 0,
            skipped = 0;
        foreach (var episode in FeedEpisodes(feedId).Where(e => NeedsRetranscription(e, currentModel)))
        {
            if (jobs.Enqueue(episode.Id, JobType.Transcribe, priority, actor: "batch").Created)
            {
                episodes.SetStatus(episode.Id, EpisodeStatus.AudioReady);
                queued++;
            }
            else
                skipped++;
        }
        return Notified(queued, skipped);
    }

    /// <summary>How many episodes of the feed <see cref="RetranscribeFeed"/> would queue.</summary>
    public int RetranscribeCount(long feedId, string currentModel) => FeedEpisodes(feedId).Count(e => NeedsRetranscription(e, currentModel));

    /// <summary>
    /// Looks for the publisher transcript again now, for an episode waiting for it (awaiting_transcript) or given up
    /// on (needs_audio): the episode is new again and gets a transcript_download job.
    /// </summary>
    public Job ForceTranscriptRetry(long episodeId, int priority = DefaultPriority)
    {
        var episode = RequireEpisode(episodeId);
        if (episode.Status is not (EpisodeStatus.AwaitingTranscript or EpisodeStatus.NeedsAudio))
            throw new InvalidRequestException(
                $"Episode {episodeId} is {episode.Status.ToName()}: only awaiting_transcript or needs_audio episodes can retry the publisher transcript."
            );
        if (episode.TranscriptUrl is null)
            throw new InvalidRequestException($"Episode {episodeId} has no publisher transcript link.");
        var job = Enqueue(episode.Id, JobType.TranscriptDownload, priority);
        episodes.SetStatus(episode.Id, EpisodeStatus.New);
        return job;
    }

    /// <summary>Every audio_ready episode of the feed gets a transcribe job.</summary>
    public BatchResult TranscribeFeed(long feedId, int priority = DefaultPriority) =>
        EnqueueEach(FeedEpisodes(feedId).Where(e => e is { Status: EpisodeStatus.AudioReady, AudioPath: not null }), JobType.Transcribe, priority);

    /// <summary>Every new episode of the feed that links a publisher transcript gets a transcript_download job.</summary>
    public BatchResult TranscriptDownloadFeed(long feedId, int priority = DefaultPriority) =>
        EnqueueEach(
            FeedEpisodes(feedId).Where(e => e is { Status: EpisodeStatus.New, TranscriptUrl: not null, TranscriptPath: null }),
            JobType.TranscriptDownload,
            priority
        );

    /// <summary>Every new episode of every feed gets a download job (skipped when it has no enclosure).</summary>
    public BatchResult ProcessAllNew(int priority = DefaultPriority)
    {
        var all = episodes.ListByStatus(EpisodeStatus.New, limit: 10_000);
        var (queued, skipped) = EnqueueEach(all.Where(e => e.AudioUrl is not null), JobType.Download, priority);
        return new BatchResult(queued, skipped + all.Count(e => e.AudioUrl is null));
    }

    /// <summary>
    /// The new episodes of a feed in a range — 1-based positions in newest-first order and/or published dates
    /// (inclusive; a date without a time covers its whole day) — get download jobs.
    /// </summary>
    public BatchResult QueueRange(
        long feedId,
        int? positionFrom,
        int? positionTo,
        DateTimeOffset? dateFrom,
        DateTimeOffset? dateTo,
        int priority = DefaultPriority
    )
    {
        if (positionFrom is < 1 || positionTo is < 1)
            throw new InvalidRequestException("position_from and position_to start at 1 (the newest episode).");
        if (positionFrom > positionTo)
            throw new InvalidRequestException("position_from must not be after position_to.");
        if (dateFrom > dateTo)
            throw new InvalidRequestException("date_from must not be after date_to.");
        var inRange = FeedEpisodes(feedId)
            .Select((episode, index) => (Episode: episode, Position: index + 1))
            .Where(x => (positionFrom is null || x.Position >= positionFrom) && (positionTo is null || x.Position <= positionTo))
            .Where(x => (dateFrom is null || x.Episode.PublishedAt >= dateFrom) && (dateTo is null || x.Episode.PublishedAt <= dateTo))
            .Select(x => x.Episode)
            .ToList();
        var (queued, skipped) = EnqueueEach(inRange.Where(e => e.Status == EpisodeStatus.New && e.AudioUrl is not null), JobType.Download, priority);
        return new BatchResult(queued, skipped + inRange.Count(e => e.Status != EpisodeStatus.New || e.AudioUrl is null));
    }

    /// <summary>A feed's episodes, newest first (404 for an unknown feed).</summary>
    private IReadOnlyList<Episode> FeedEpisodes(long feedId)
    {
        _ = feeds.Get(feedId) ?? throw new NotFoundException($"Feed {feedId} not found.");
        return episodes.ListByFeed(feedId, limit: 10_000).Episodes;
    }

    private BatchResult EnqueueEach(IEnumerable<Episode> list, JobType type, int priority)
    {
        int queued = 0,
            skipped = 0;
        foreach (var episode in list)
            if (jobs.Enqueue(episode.Id, type, priority, actor: "batch").Created)
                queued++;
            else
                skipped++;
        return Notified(queued, skipped);
    }

    private BatchResult Notified(int queued, int skipped)
    {
        if (queued > 0)
            signal.Notify();
        return new BatchResult(queued, skipped);
    }
}
