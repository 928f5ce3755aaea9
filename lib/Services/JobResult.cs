using Cast2md.Library;
using Cast2md.Queue;

namespace Cast2md.Services;

/// <summary>
/// What a finished job produced, not yet applied: files written under a staging name, the episode change they make,
/// and the jobs that follow. <see cref="JobOutcomes.Complete"/> applies it in one transaction guarded by the
/// lease and only then moves the files into place — a handler never changes state itself, so a job that lost its lease
/// changes nothing.
/// </summary>
public sealed record JobResult
{
    /// <summary>The job is done and changes nothing (the work was already there).</summary>
    public static JobResult Nothing { get; } = new();

    /// <summary>Staged files and where they go once the result is committed (both absolute).</summary>
    public IReadOnlyList<StagedFile> Files { get; init; } = [];

    public EpisodeChange? Episode { get; init; }

    /// <summary>Jobs queued in the same transaction (a download is followed by its transcription).</summary>
    public IReadOnlyList<JobType> FollowUps { get; init; } = [];

    /// <summary>
    /// Instead of a transcript: the job is split into these spans, queued for idle workers (see
    /// <see cref="Services.JobOutcomes.Split"/>). Nothing else of the result applies.
    /// </summary>
    public IReadOnlyList<SpanRange>? SplitInto { get; init; }

    /// <summary>
    /// A span's transcript (times absolute), kept for the stitch (see <see cref="Services.JobOutcomes.CompleteSpan"/>);
    /// <see cref="StageStitched"/> stages the whole transcript when this is the last span in.
    /// </summary>
    public Transcripts.Transcript? SpanTranscript { get; init; }

    /// <summary>Writes the stitched transcript under the span's staging names and returns its result (synchronously, inside the commit).</summary>
    public Func<Transcripts.Transcript, JobResult>? StageStitched { get; init; }
}

/// <summary>A file written at <paramref name="StagedPath"/> that becomes <paramref name="FinalPath"/> once its result is committed.</summary>
public sealed record StagedFile(string StagedPath, string FinalPath);

/// <summary>
/// How a result changes its episode. A transcript or audio path sets the status that goes with it
/// (<c>completed</c>, <c>audio_ready</c>); <see cref="Status"/> alone moves it elsewhere (<c>needs_audio</c>,
/// <c>awaiting_transcript</c>) with <see cref="Reason"/>.
/// </summary>
public sealed record EpisodeChange
{
    public string? TranscriptPath { get; init; }
    public string? TranscriptSource { get; init; }
    public string? TranscriptModel { get; init; }
    public string? TranscriptLanguage { get; init; }
    public string? AudioPath { get; init; }
    public bool ClearAudio { get; init; }
    public EpisodeStatus? Status { get; init; }
    public string? Reason { get; init; }
}
