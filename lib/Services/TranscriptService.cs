using System.Text.Json;
using Cast2md.Files;
using Cast2md.Json;
using Cast2md.Library;
using Cast2md.Transcripts;

namespace Cast2md.Services;

/// <summary>
/// Transcripts on disk. Each is stored as Markdown plus a JSON sidecar holding the engine's millisecond segments;
/// every other format is written from the sidecar on first request and kept beside it.
/// </summary>
public sealed class TranscriptService(EpisodeStore episodes, StorageLayout layout)
{
    /// <summary>Writes the Markdown and its JSON sidecar (each temp-then-rename) and returns the Markdown's relative path.</summary>
    public async Task<string> SaveAsync(Episode episode, string podcastTitle, Transcript transcript, CancellationToken cancellationToken)
    {
        var markdown = layout.TranscriptRelativePath(podcastTitle, episode.PublishedAt, episode.Title, episode.Id, TranscriptFormat.Md);
        var sidecar = StorageLayout.SiblingTranscriptPath(markdown, TranscriptFormat.Json);
        // The sidecar first: a Markdown file never exists without the segments behind it.
        await TranscriptWriter.WriteFileAsync(transcript, TranscriptFormat.Json, layout.Resolve(sidecar), cancellationToken: cancellationToken);
        await TranscriptWriter.WriteFileAsync(transcript, TranscriptFormat.Md, layout.Resolve(markdown), cancellationToken: cancellationToken);
        return markdown;
    }

    /// <summary>
    /// Writes a job's transcript under its staging names (the JSON sidecar first, then the Markdown) and returns the
    /// result that, once committed by <see cref="JobOutcomes.Complete"/>, moves them to the episode's transcript path.
    /// </summary>
    public async Task<JobResult> StageAsync(
        long jobId,
        string token,
        Episode episode,
        string podcastTitle,
        Transcript transcript,
        string source,
        CancellationToken cancellationToken
    )
    {
        var staging = Staging(jobId, token, episode, podcastTitle);
        await TranscriptWriter.WriteFileAsync(transcript, TranscriptFormat.Json, staging.StagedSidecar, cancellationToken: cancellationToken);
        await TranscriptWriter.WriteFileAsync(transcript, TranscriptFormat.Md, staging.StagedMarkdown, cancellationToken: cancellationToken);
        return Staged(staging, transcript, source);
    }

    /// <summary>
    /// The same, written synchronously: a stitched transcript is staged inside the transaction that commits it (only
    /// there is it known to be the last span's), where no await may run.
    /// </summary>
    public JobResult Stage(long jobId, string token, Episode episode, string podcastTitle, Transcript transcript, string source)
    {
        var staging = Staging(jobId, token, episode, podcastTitle);
        File.WriteAllText(staging.StagedSidecar, TranscriptWriter.Write(transcript, TranscriptFormat.Json));
        File.WriteAllText(staging.StagedMarkdown, TranscriptWriter.Write(transcript, TranscriptFormat.Md));
        return Staged(staging, transcript, source);
    }

    /// <summary>Where a transcript of the episode goes (Markdown and its JSON sidecar), and where this claim stages it first.</summary>
    private (string Markdown, string Sidecar, string StagedSidecar, string StagedMarkdown) Staging(
        long jobId,
        string token,
        Episode episode,
        string podcastTitle
    )
    {
        var markdown = layout.TranscriptRelativePath(podcastTitle, episode.PublishedAt, episode.Title, episode.Id, TranscriptFormat.Md);
        var staging = (
            markdown,
            StorageLayout.SiblingTranscriptPath(markdown, TranscriptFormat.Json),
            JobOutcomes.StagingPath(layout, jobId, token, ".json"),
            JobOutcomes.StagingPath(layout, jobId, token, ".md")
        );
        Directory.CreateDirectory(Path.GetDirectoryName(staging.Item3)!);
        return staging;
    }

    private JobResult Staged(
        (string Markdown, string Sidecar, string StagedSidecar, string StagedMarkdown) staging,
        Transcript transcript,
        string source
    ) =>
        new()
        {
            Files =
            [
                new StagedFile(staging.StagedSidecar, layout.Resolve(staging.Sidecar)),
                new StagedFile(staging.StagedMarkdown, layout.Resolve(staging.Markdown)),
            ],
            Episode = new EpisodeChange
            {
                TranscriptPath = staging.Markdown,
                TranscriptSource = source,
                TranscriptModel = transcript.Model,
                TranscriptLanguage = transcript.Language,
            },
        };

    /// <summary>
    /// A span's transcript (times absolute), kept for the stitch; when it is the last span in, the stitched transcript is
    /// stored under the episode's title as a whole transcription's would be, staged under this span's claim.
    /// </summary>
    public JobResult SpanResult(long jobId, string token, Episode episode, string podcastTitle, Transcript transcript) =>
        new()
        {
            SpanTranscript = transcript,
            StageStitched = stitched =>
                Stage(
                    jobId,
                    token,
                    episode,
                    podcastTitle,
                    stitched with
                    {
                        Title = episode.Title,
                        Source = "whisper",
                        Model = stitched.Model ?? transcript.Model,
                    },
                    "whisper"
                ),
        };

    /// <summary>An episode's transcript in a format: (content, MIME type, download file name).</summary>
    public async Task<(string Content, string ContentType, string FileName)> GetAsync(
        long episodeId,
        TranscriptFormat format,
        CancellationToken cancellationToken
    )
    {
        var episode = episodes.Get(episodeId) ?? throw new NotFoundException($"Episode {episodeId} not found.");
        if (episode.TranscriptPath is null)
            throw new NotFoundException($"Episode {episodeId} has no transcript yet.");
        var relative = format == TranscriptFormat.Md ? episode.TranscriptPath : StorageLayout.SiblingTranscriptPath(episode.TranscriptPath, format);
        var path = layout.Resolve(relative);
        var sidecar = layout.Resolve(StorageLayout.SiblingTranscriptPath(episode.TranscriptPath, TranscriptFormat.Json));
        // A derived file older than the segments it was written from is stale (the episode was transcribed again).
        if (
            !File.Exists(path)
            || (
                format is not (TranscriptFormat.Md or TranscriptFormat.Json)
                && File.Exists(sidecar)
                && File.GetLastWriteTimeUtc(path) < File.GetLastWriteTimeUtc(sidecar)
            )
        )
        {
            if (!File.Exists(sidecar))
                throw new NotFoundException($"The transcript file of episode {episodeId} is missing on disk ({relative}).");
            var document = JsonSerializer.Deserialize(
                await File.ReadAllTextAsync(sidecar, cancellationToken),
                Cast2mdJsonContext.Default.TranscriptJsonDocument
            ) ?? throw new NotFoundException($"The transcript of episode {episodeId} cannot be read.");
            await TranscriptWriter.WriteFileAsync(document.ToTranscript(), format, path, cancellationToken: cancellationToken);
        }
        return (await File.ReadAllTextAsync(path, cancellationToken), ContentType(format), Path.GetFileName(path));
    }

    /// <summary>
    /// <paramref name="length"/> seconds of an episode's transcript from <paramref name="start"/> on: the segments starting
    /// in that window, read from the JSON sidecar, as <c>[MM:SS] text</c> lines (the REST section endpoint and MCP's get_transcript).
    /// </summary>
    public async Task<(Episode Episode, string Text)> SectionAsync(long episodeId, double start, double length, CancellationToken cancellationToken)
    {
        var episode = episodes.Get(episodeId) ?? throw new NotFoundException($"Episode {episodeId} not found.");
        if (episode.TranscriptPath is null)
            throw new NotFoundException($"Episode {episodeId} has no transcript yet.");
        var sidecar = layout.Resolve(StorageLayout.SiblingTranscriptPath(episode.TranscriptPath, TranscriptFormat.Json));
        if (!File.Exists(sidecar))
            throw new NotFoundException($"The timed transcript of episode {episodeId} is missing on disk.");
        var document = JsonSerializer.Deserialize(
            await File.ReadAllTextAsync(sidecar, cancellationToken),
            Cast2mdJsonContext.Default.TranscriptJsonDocument
        ) ?? throw new NotFoundException($"The transcript of episode {episodeId} cannot be read.");
        var end = start + length;
        var text = new System.Text.StringBuilder();
        foreach (var segment in document.Segments.Where(s => s.StartMs >= start * 1000 && s.StartMs < end * 1000))
        {
            var seconds = segment.StartMs / 1000;
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"[{seconds / 60:00}:{seconds % 60:00}] {segment.Text}\n");
        }
        return (episode, text.ToString());
    }

    public static string ContentType(TranscriptFormat format) =>
        format switch
        {
            TranscriptFormat.Md => "text/markdown; charset=utf-8",
            TranscriptFormat.Srt => "application/x-subrip; charset=utf-8",
            TranscriptFormat.Vtt => "text/vtt; charset=utf-8",
            TranscriptFormat.Json => "application/json; charset=utf-8",
            _ => "text/plain; charset=utf-8",
        };
}
