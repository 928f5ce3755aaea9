using System.Globalization;
using Cast2md.Cli.Infrastructure;
using Cast2md.Cli.Progress;
using Cast2md.Queue;
using Cast2md.Services;

namespace Cast2md.Cli.Commands;

/// <summary>`cast2md transcribe EPISODE_ID`: the transcription job of a downloaded episode, queued (and waited for).</summary>
internal sealed partial class TranscribeCommand
{
    /// <summary>A plain number that names no file or folder is an episode id; anything else stays a file path.</summary>
    private static bool IsEpisodeId(string argument, out long episodeId) =>
        long.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out episodeId)
        && !File.Exists(argument)
        && !Directory.Exists(argument);

    private static void RejectFileOptions(
        string? model,
        string? computeType,
        string language,
        string? format,
        string? output,
        int? threads,
        bool noTimestamps,
        string? title,
        string? device,
        int beamSize,
        double? chunkMinutes,
        string? parallel,
        bool vad,
        bool noVad,
        string? vadModel,
        int? vadMinSilenceMs,
        double? vadThreshold
    )
    {
        var given = new List<string>();
        if (model is not null)
            given.Add("--model");
        if (computeType is not null)
            given.Add("--compute-type");
        if (!string.Equals(language, "auto", StringComparison.OrdinalIgnoreCase))
            given.Add("--language");
        if (format is not null)
            given.Add("--format");
        if (output is not null)
            given.Add("--output");
        if (threads is not null)
            given.Add("--threads");
        if (noTimestamps)
            given.Add("--no-timestamps");
        if (title is not null)
            given.Add("--title");
        if (device is not null)
            given.Add("--device");
        if (beamSize != 5)
            given.Add("--beam-size");
        if (chunkMinutes is not null)
            given.Add("--chunk-minutes");
        if (parallel is not null)
            given.Add("--parallel");
        if (vad)
            given.Add("--vad");
        if (noVad)
            given.Add("--no-vad");
        if (vadModel is not null)
            given.Add("--vad-model");
        if (vadMinSilenceMs is not null)
            given.Add("--vad-min-silence-ms");
        if (vadThreshold is not null)
            given.Add("--vad-threshold");
        if (given.Count > 0)
            throw new UsageException(
                $"{string.Join(", ", given)} apply to files; an episode is transcribed by the workers with the data folder's settings."
            );
    }

    private static async Task<int> TranscribeEpisodeAsync(
        long episodeId,
        bool wait,
        double? timeout,
        int priority,
        ProgressMode progress,
        bool json,
        CancellationToken cancellationToken
    )
    {
        var options = new WorkOptions(wait, WaitGoal.Transcript, FollowUps: false, priority, progress, json, Timeouts.FromMinutes(timeout));
        var core = GlobalOptions.OpenCore();
        var episode = core.Episodes.Get(episodeId)
            ?? throw new NotFoundException($"Episode {episodeId} not found (and no file named '{episodeId}' exists).");
        var work = new EpisodeWork(core);
        work.QueueOrAdopt(episode, JobType.Transcribe, () => core.Queue.QueueTranscribe(episodeId, priority));
        return await work.FinishAsync(options, cancellationToken);
    }
}
