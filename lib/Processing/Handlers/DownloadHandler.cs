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

    public async Task<JobResult> HandleAsync(JobLease lease, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var job = lease.Job;
        var episode = core.Episodes.Get(job.EpisodeId)
            ?? throw new JobFailedException($"Episode {job.EpisodeId} no longer exists.", isPermanent: true);
        var feed = core.Feeds.Get(episode.FeedId) ?? throw new JobFailedException($"Feed {episode.FeedId} no longer exists.", isPermanent: true);
        if (episode.AudioPath is not null && File.Exists(core.Layout.Resolve(episode.AudioPath)))
            return new JobResult { FollowUps = [JobType.Transcribe] };

        try
        {
            var url = await CurrentAudioUrlAsync(feed, episode, cancellationToken)
                ?? throw new JobFailedException($"Episode {episode.Id} has no audio enclosure.", isPermanent: true);
            var extension = StorageLayout.ExtensionFromUrl(url, episode.AudioType);
            var relative = core.Layout.AudioRelativePath(feed.DisplayTitle, episode.PublishedAt, episode.Title, episode.Id, extension);
            var downloader = new AudioDownloader(core.DownloadHttp) { MaxAudioMb = core.Settings.GetInt(SettingDefinitions.MaxAudioMb) };
            var bytes = new Progress<Net.DownloadProgress>(p =>
            {
                if (p.Fraction is { } f)
                    progress.Report(f * 100);
            });
            // Downloaded in the temp folder (its .part resumes on the next attempt, whoever claims it), then staged under
            // this claim's name: it reaches the audio folder only once the result is committed under the lease.
            var download = Path.Combine(core.Layout.TempDirectory, "downloads", $"{episode.Id}{Path.GetExtension(relative)}");
            var result = await downloader.DownloadAsync(url, download, bytes, cancellationToken);
            var staged = JobOutcomes.StagingPath(core.Layout, job.Id, lease.Token, Path.GetExtension(relative));
            Directory.CreateDirectory(Path.GetDirectoryName(staged)!);
            File.Move(download, staged, overwrite: true);
            logger.LogInformation("downloaded episode {Episode}: {Bytes} bytes for {Path}", episode.Id, result.Bytes, relative);
            return new JobResult
            {
                Files = [new StagedFile(staged, core.Layout.Resolve(relative))],
                Episode = new EpisodeChange { AudioPath = relative },
                FollowUps = [JobType.Transcribe],
            };
        }
        catch (AudioDownloadException ex)
        {
            throw new JobFailedException(ex.Message, ex.IsPermanent, ex);
        }
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
