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
/// The original's waiting rule (upstream §5), adapted: when the link is there but the transcript is not (yet) —
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

    public async Task HandleAsync(Job job, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var episode = core.Episodes.Get(job.EpisodeId) ?? throw new JobFailedException($"Episode {job.EpisodeId} no longer exists.", isPermanent: true);
        var feed = core.Feeds.Get(episode.FeedId) ?? throw new JobFailedException($"Feed {episode.FeedId} no longer exists.", isPermanent: true);
        if (episode.TranscriptPath is not null)
            return;
        if (episode.TranscriptUrl is null)
        {
            NeedsAudio(episode, "the feed links no transcript");
            return;
        }

        FeedFetchResult fetched;
        try
        {
            fetched = await new FeedFetcher(core.Http) { MaxBytes = core.Settings.GetInt(SettingDefinitions.MaxFeedMb) * 1024L * 1024, What = "the transcript" }
                .FetchAsync(episode.TranscriptUrl, etag: null, lastModified: null, cancellationToken);
        }
        catch (FeedFetchException ex) when (ex.IsPermanent && ex.StatusCode == 404 && TranscriptRetryScheduler.IsYoung(core, episode, _time.GetUtcNow()))
        {
            // Publishers often link the transcript before it is generated: wait for it.
            Awaiting(episode, $"the publisher transcript is not there yet ({ex.Message})");
            return;
        }
        catch (FeedFetchException ex) when (ex.IsPermanent || !TranscriptRetryScheduler.IsYoung(core, episode, _time.GetUtcNow()))
        {
            NeedsAudio(episode, $"the publisher transcript is unavailable ({ex.Message})");
            return;
        }
        catch (FeedFetchException ex)
        {
            Awaiting(episode, ex.Message);
            throw new JobFailedException(ex.Message, isPermanent: false, ex);
        }

        var text = DecodeText(fetched.Body ?? []);
        Transcripts.Transcript transcript;
        try
        {
            transcript = PublisherTranscriptParser.Parse(text, episode.TranscriptType, episode.TranscriptUrl);
        }
        catch (PublisherTranscriptException ex)
        {
            NeedsAudio(episode, $"the publisher transcript cannot be read ({ex.Message})");
            return;
        }
        if (transcript.Segments.Count == 0)
        {
            NeedsAudio(episode, "the publisher transcript is empty");
            return;
        }

        transcript = transcript with { Title = episode.Title, Language = transcript.Language ?? episode.TranscriptLanguage };
        var path = await core.Transcripts.SaveAsync(episode, feed.DisplayTitle, transcript, cancellationToken);
        core.Episodes.SetTranscript(episode.Id, path, transcript.Source ?? "podcast2.0", model: null, transcript.Language);
        progress.Report(100);
        logger.LogInformation("episode {Episode}: publisher transcript saved to {Path}", episode.Id, path);
    }

    private void Awaiting(Episode episode, string reason)
    {
        core.Episodes.SetStatus(episode.Id, EpisodeStatus.AwaitingTranscript, reason);
        logger.LogInformation("episode {Episode} awaits its publisher transcript: {Reason}", episode.Id, reason);
    }

    private void NeedsAudio(Episode episode, string reason) => TranscriptRetryScheduler.NeedsAudio(core, episode, reason, "transcript-download", logger);

    private static string DecodeText(byte[] body)
    {
        // Publishers mostly send UTF-8; a BOM decides otherwise.
        using var reader = new StreamReader(new MemoryStream(body), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }
}
