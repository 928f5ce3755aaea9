using Cast2md.Downloads;
using Cast2md.Files;
using Cast2md.Library;
using Cast2md.Queue;
using Cast2md.Services;
using Cast2md.Settings;
using Microsoft.Extensions.Logging;

namespace Cast2md.Processing.Handlers;

/// <summary>
/// Downloads an episode's audio (resumable, checked to be audio, size-limited, renamed atomically into place)
/// and queues its transcription. The enclosure URL is refreshed from the feed first: publishers sign them.
/// </summary>
internal sealed class DownloadHandler(Cast2mdCore core, ILogger logger) : IJobHandler
{
    public JobType Type => JobType.Download;

    public async Task HandleAsync(Job job, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var episode = core.Episodes.Get(job.EpisodeId) ?? throw new JobFailedException($"Episode {job.EpisodeId} no longer exists.", isPermanent: true);
        var feed = core.Feeds.Get(episode.FeedId) ?? throw new JobFailedException($"Feed {episode.FeedId} no longer exists.", isPermanent: true);
        if (episode.AudioPath is not null && File.Exists(core.Layout.Resolve(episode.AudioPath)))
        {
            QueueTranscription(episode.Id);
            return;
        }

        var previous = episode.Status;
        core.Episodes.SetStatus(episode.Id, EpisodeStatus.Downloading);
        try
        {
            var url = await CurrentAudioUrlAsync(feed, episode, cancellationToken)
                ?? throw new JobFailedException($"Episode {episode.Id} has no audio enclosure.", isPermanent: true);
            var extension = StorageLayout.ExtensionFromUrl(url, episode.AudioType);
            var relative = core.Layout.AudioRelativePath(feed.DisplayTitle, episode.PublishedAt, episode.Title, episode.Id, extension);
            var downloader = new AudioDownloader(core.DownloadHttp) { MaxAudioMb = core.Settings.GetInt(SettingDefinitions.MaxAudioMb) };
            var bytes = new Progress<Models.DownloadProgress>(p => { if (p.Fraction is { } f) progress.Report(f * 100); });
            var result = await downloader.DownloadAsync(url, core.Layout.Resolve(relative), bytes, cancellationToken);
            core.Episodes.SetAudio(episode.Id, relative);
            logger.LogInformation("downloaded episode {Episode}: {Bytes} bytes to {Path}", episode.Id, result.Bytes, relative);
            QueueTranscription(episode.Id);
        }
        catch (AudioDownloadException ex)
        {
            core.Episodes.SetStatus(episode.Id, ex.IsPermanent ? EpisodeStatus.Failed : EpisodeStatus.NeedsAudio, ex.Message, permanentFailure: ex.IsPermanent);
            throw new JobFailedException(ex.Message, ex.IsPermanent, ex);
        }
        catch (OperationCanceledException)
        {
            core.Episodes.SetStatus(episode.Id, previous);
            throw;
        }
    }

    private void QueueTranscription(long episodeId)
    {
        if (core.Jobs.Enqueue(episodeId, JobType.Transcribe, QueueService.AutomaticPriority, actor: "download").Created)
            core.Signal.Notify();
    }

    /// <summary>The enclosure URL as the feed lists it now (by GUID); the stored one when the feed cannot be read.</summary>
    private async Task<string?> CurrentAudioUrlAsync(Feed feed, Episode episode, CancellationToken cancellationToken)
    {
        try
        {
            var (_, parsed) = await core.FeedService.FetchAndParseAsync(feed.Url, etag: null, lastModified: null, cancellationToken);
            var current = parsed?.Episodes.FirstOrDefault(e => e.Guid == episode.Guid);
            if (current?.AudioUrl is { } url && url != episode.AudioUrl)
            {
                core.Episodes.Upsert(feed.Id, [FeedService.ToMetadata(current)]);
                return url;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("could not refresh the enclosure URL of episode {Episode} from its feed: {Error}", episode.Id, ex.Message);
        }
        return episode.AudioUrl;
    }
}
