using Cast2md.Library;
using Cast2md.Queue;
using Cast2md.Services;
using Cast2md.Settings;
using Cast2md.Transcription;
using Microsoft.Extensions.Logging;

namespace Cast2md.Processing.Handlers;

/// <summary>
/// Transcribes a downloaded episode in a child <c>cast2md transcribe --progress json</c> process — the same
/// engine as the command — so a native crash fails one job, not the server. Progress comes from the child's
/// JSON lines; its segments come back as JSON and are stored as Markdown plus the JSON sidecar.
/// </summary>
internal sealed class TranscribeHandler(Cast2mdCore core, WorkerPoolOptions options, ILogger logger) : IJobHandler
{
    private readonly TranscriberProcess _transcriber = new(options.TranscriberExecutable, logger);

    public JobType Type => JobType.Transcribe;

    public async Task<JobResult> HandleAsync(JobLease lease, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var job = lease.Job;
        var episode = core.Episodes.Get(job.EpisodeId)
            ?? throw new JobFailedException($"Episode {job.EpisodeId} no longer exists.", isPermanent: true);
        var feed = core.Feeds.Get(episode.FeedId) ?? throw new JobFailedException($"Feed {episode.FeedId} no longer exists.", isPermanent: true);
        if (episode.AudioPath is null || !File.Exists(core.Layout.Resolve(episode.AudioPath)))
        {
            // The audio went missing (deleted by hand?): fetch it again rather than fail for good.
            return new JobResult
            {
                Episode = new EpisodeChange
                {
                    ClearAudio = true,
                    Status = EpisodeStatus.NeedsAudio,
                    Reason = "the audio file is missing; downloading it again",
                },
                FollowUps = episode.AudioUrl is null ? [] : [JobType.Download],
            };
        }

        // A long episode, with other workers idle: split into spans for all of them (this worker takes one next).
        if (job.ClaimedBy is { } worker && await core.Splitter.PlanAsync(job, worker, cancellationToken) is { } spans)
        {
            logger.LogInformation("episode {Episode}: split into {Spans} spans for the idle workers", episode.Id, spans.Count);
            return new JobResult { SplitInto = spans };
        }

        // A job queued for a particular model is transcribed with it; otherwise with the server's WHISPER_MODEL.
        var settings = job.Model is { } model ? Settings(core) with { Model = model } : Settings(core);
        if (job.SpanStartMs is { } spanStart && job.SpanEndMs is { } spanEnd)
            settings = settings with { Range = TranscriptSpans.TranscribeRange(new SpanRange(spanStart, spanEnd)) };
        var outcome = await _transcriber.RunAsync(
            core.Layout.Resolve(episode.AudioPath),
            episode.Title,
            settings,
            core.Layout.TempDirectory,
            progress,
            cancellationToken
        );
        if (outcome.Transcript is null)
            throw new JobFailedException(outcome.ErrorMessage ?? $"transcription exited with code {outcome.ExitCode}", outcome.IsPermanent);

        var modelName = job.Model ?? outcome.Transcript.Model ?? settings.Model;
        if (job.IsSpan)
        {
            logger.LogInformation(
                "episode {Episode}: transcribed span {Start}-{End} ms ({Segments} segments)",
                episode.Id,
                job.SpanStartMs,
                job.SpanEndMs,
                outcome.Transcript.Segments.Count
            );
            return core.Transcripts.SpanResult(job.Id, lease.Token, episode, feed.DisplayTitle, outcome.Transcript with { Model = modelName });
        }
        var transcript = outcome.Transcript with { Title = episode.Title, Source = "whisper", Model = modelName };
        var result = await core.Transcripts.StageAsync(job.Id, lease.Token, episode, feed.DisplayTitle, transcript, "whisper", cancellationToken);
        logger.LogInformation(
            "episode {Episode}: transcribed ({Segments} segments, {Language})",
            episode.Id,
            transcript.Segments.Count,
            transcript.Language
        );
        return result;
    }

    /// <summary>The whisper settings in effect (database overrides included).</summary>
    /// <exception cref="Errors.Cast2mdException">A setting's value is invalid (the message names it).</exception>
    public static TranscriberSettings Settings(Cast2mdCore core) =>
        new(
            core.Settings.GetString(SettingDefinitions.WhisperModel),
            core.Settings.GetString(SettingDefinitions.WhisperComputeType),
            core.Settings.GetString(SettingDefinitions.WhisperDevice),
            core.Settings.GetDouble(SettingDefinitions.WhisperChunkSizeMinutes)
        )
        {
            VoiceActivity = VoiceActivitySettings.Read(core.Settings.GetString),
            // The setting's choices are exactly what TryParse accepts, so a stored value always parses.
            Parallel = DecodingParallelism.TryParse(core.Settings.GetString(SettingDefinitions.WhisperParallel), out var parallel)
                ? parallel
                : DecodingParallelism.Auto,
        };
}
