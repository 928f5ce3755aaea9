using Cast2md.Media;
using Cast2md.Queue;
using Cast2md.Settings;
using Cast2md.Transcription;

namespace Cast2md.Services;

/// <summary>
/// Decides whether a claimed transcription is split into spans, and where: only a whole job (not a span, not split
/// already) of an episode longer than <c>SPLIT_MIN_MINUTES</c>, and only while at least one span-taking worker besides
/// its claimer is idle (<see cref="Queue.IdleTranscribers"/>); then into as many spans as there are such workers
/// with the claimer, cut at quiet moments (<see cref="TranscriptSpans.PlanAsync"/>). The server decides this for the
/// local worker's claims and for those of nodes that take spans, before any audio leaves it; the split itself is
/// committed by <see cref="JobOutcomes.Split"/> under the claimer's lease.
/// </summary>
public sealed class SpanSplitter(Cast2mdCore core)
{
    /// <summary>The spans to split <paramref name="job"/> into, or null to transcribe it whole.</summary>
    public async Task<IReadOnlyList<SpanRange>?> PlanAsync(Job job, string workerId, CancellationToken cancellationToken)
    {
        if (job.Type != JobType.Transcribe || job.IsSpan || job.IsSplit)
            return null;
        var others = core.Idle.Others(workerId);
        if (others < 1)
            return null;
        var minimum = TimeSpan.FromMinutes(core.Settings.GetDouble(SettingDefinitions.SplitMinMinutes));
        var episode = core.Episodes.Get(job.EpisodeId);
        if (episode?.AudioPath is not { } relative)
            return null;
        var audio = core.Layout.Resolve(relative);
        if (!File.Exists(audio))
            return null;
        // The feed's stated duration says whether probing is worth it at all; the cuts go by the file's own.
        if (episode.DurationSeconds is { } stated && TimeSpan.FromSeconds(stated) < minimum / 2)
            return null;
        var ffmpeg = FfmpegOptions.Read(Settings.LocalSettings.Process.Get);
        if (await new AudioDecoder(ffmpeg).ProbeDurationAsync(audio, cancellationToken) is not { } duration || duration <= minimum)
            return null;
        var count = TranscriptSpans.SpanCount(duration, others + 1);
        if (count < 2)
            return null;
        var spans = await TranscriptSpans.PlanAsync(audio, duration, count, ffmpeg, cancellationToken);
        return spans.Count >= 2 ? spans : null;
    }
}
