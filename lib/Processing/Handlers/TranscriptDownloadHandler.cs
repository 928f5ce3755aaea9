using System.Text;
using Cast2md.Feeds.Fetching;
using Cast2md.Library;
using Cast2md.Queue;
using Cast2md.Services;
using Cast2md.Settings;
using Cast2md.Transcripts.Publisher;
using Microsoft.Extensions.Logging;

namespace Cast2md.Processing.Handlers;

/// <summary>
/// Fetches the publisher's transcript (VTT, SRT, Podcasting 2.0 JSON, text, HTML) and stores it as our Markdown.
/// <para>
/// The original cast2md's waiting rule, adapted: when the link is there but the transcript is not (yet) —
/// a 404, or a transient failure (timeout, 5xx, 429) — an episode published less than TRANSCRIPT_RETRY_DAYS ago
/// waits in <c>awaiting_transcript</c>; <see cref="TranscriptRetryScheduler"/> looks again once a day and gives up
/// (needs_audio) when the episode gets older. A transient failure also keeps the job's own quick back-off retries
/// (the original completed the job and waited a whole day). Anything else — an older episode, a 403/410, a transcript
/// that cannot be read or is empty — means the episode needs audio (queued at once with AUTO_TRANSCRIBE=true).
/// </para>
/// </summary>
internal sealed class TranscriptDownloadHandler(Cast2mdCore core, ILogger logger, TimeProvider? timeProvider = null) : IJobHandler
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public JobType Type => JobType.TranscriptDownload;

    public async Task<JobResult> HandleAsync(JobLease lease, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var job = lease.Job;
        var episode = core.Episodes.Get(job.EpisodeId)
            ?? throw new JobFailedException($"Episode {job.EpisodeId} no longer exists.", isPermanent: true);
        var feed = core.Feeds.Get(episode.FeedId) ?? throw new JobFailedException($"Feed {episode.FeedId} no longer exists.", isPermanent: true);
        if (episode.TranscriptPath is not null)
            return JobResult.Nothing;
        if (episode.TranscriptUrl is null)
            return NeedsAudio(episode, "the feed links no transcript");

        FeedFetchResult fetched;
        try
        {
            fetched = await new FeedFetcher(core.Http)
            {
                MaxBytes = core.Settings.GetInt(SettingDefinitions.MaxFeedMb) * 1024L * 1024,
                What = "the transcript",
            }.FetchAsync(episode.TranscriptUrl, etag: null, lastModified: null, cancellationToken);
        }
        catch (FeedFetchException ex)
            when (ex.IsPermanent && ex.StatusCode == 404 && TranscriptRetryScheduler.IsYoung(core, episode, _time.GetUtcNow()))
        {
            // Publishers often link the transcript before it is generated: wait for it.
            return Awaiting(episode, $"the publisher transcript is not there yet ({ex.Message})");
        }
        catch (FeedFetchException ex) when (ex.IsPermanent || !TranscriptRetryScheduler.IsYoung(core, episode, _time.GetUtcNow()))
        {
            return NeedsAudio(episode, $"the publisher transcript is unavailable ({ex.Message})");
        }
        catch (FeedFetchException ex)
        {
            // Shown while the job's own quick retries run: this attempt fails, and the episode says why it waits.
            throw new JobFailedException(ex.Message, isPermanent: false, ex) { EpisodeStatus = EpisodeStatus.AwaitingTranscript };
        }

        var text = DecodeText(fetched.Body ?? []);
        Transcripts.Transcript transcript;
        try
        {
            transcript = PublisherTranscriptParser.Parse(text, episode.TranscriptType, episode.TranscriptUrl);
        }
        catch (PublisherTranscriptException ex)
        {
            return NeedsAudio(episode, $"the publisher transcript cannot be read ({ex.Message})");
        }
        if (transcript.Segments.Count == 0)
            return NeedsAudio(episode, "the publisher transcript is empty");

        transcript = transcript with { Title = episode.Title, Language = transcript.Language ?? episode.TranscriptLanguage, Model = null };
        var result = await core.Transcripts.StageAsync(
            job.Id,
            lease.Token,
            episode,
            feed.DisplayTitle,
            transcript,
            transcript.Source ?? "podcast2.0",
            cancellationToken
        );
        progress.Report(100);
        logger.LogInformation("episode {Episode}: publisher transcript fetched", episode.Id);
        return result;
    }

    private JobResult Awaiting(Episode episode, string reason)
    {
        logger.LogInformation("episode {Episode} awaits its publisher transcript: {Reason}", episode.Id, reason);
        return new JobResult
        {
            Episode = new EpisodeChange { Status = EpisodeStatus.AwaitingTranscript, Reason = reason },
        };
    }

    /// <summary>The episode needs audio; with AUTO_TRANSCRIBE=true its download is queued with the result.</summary>
    private JobResult NeedsAudio(Episode episode, string reason)
    {
        logger.LogInformation("episode {Episode} needs audio: {Reason}", episode.Id, reason);
        var download = core.Settings.GetBool(SettingDefinitions.AutoTranscribe) && episode.AudioUrl is not null;
        return new JobResult
        {
            Episode = new EpisodeChange { Status = EpisodeStatus.NeedsAudio, Reason = reason },
            FollowUps = download ? [JobType.Download] : [],
        };
    }

    private static string DecodeText(byte[] body)
    {
        // Publishers mostly send UTF-8; a BOM decides otherwise.
        using var reader = new StreamReader(new MemoryStream(body), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }
}
