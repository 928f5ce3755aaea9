using System.Text.Json;
using Cast2md.Json;
using Cast2md.Library;
using Cast2md.Queue;
using Cast2md.Services;
using Cast2md.Settings;
using CliWrap;
using Microsoft.Extensions.Logging;

namespace Cast2md.Processing.Handlers;

/// <summary>
/// Transcribes a downloaded episode in a child <c>cast2md transcribe --progress json</c> process — the same
/// engine as the command — so a native crash fails one job, not the server. Progress comes from the child's
/// JSON lines; its segments come back as JSON and are stored as Markdown plus the JSON sidecar.
/// </summary>
internal sealed class TranscribeHandler(Cast2mdCore core, WorkerPoolOptions options, ILogger logger) : IJobHandler
{
    public JobType Type => JobType.Transcribe;

    public async Task HandleAsync(Job job, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var episode = core.Episodes.Get(job.EpisodeId) ?? throw new JobFailedException($"Episode {job.EpisodeId} no longer exists.", isPermanent: true);
        var feed = core.Feeds.Get(episode.FeedId) ?? throw new JobFailedException($"Feed {episode.FeedId} no longer exists.", isPermanent: true);
        if (episode.AudioPath is null || !File.Exists(core.Layout.Resolve(episode.AudioPath)))
        {
            // The audio went missing (deleted by hand?): fetch it again rather than fail for good.
            core.Episodes.ClearAudio(episode.Id);
            core.Episodes.SetStatus(episode.Id, EpisodeStatus.NeedsAudio, "the audio file is missing; downloading it again");
            if (episode.AudioUrl is not null && core.Jobs.Enqueue(episode.Id, JobType.Download, QueueService.AutomaticPriority, actor: "transcribe").Created)
                core.Signal.Notify();
            return;
        }

        core.Episodes.SetStatus(episode.Id, EpisodeStatus.Transcribing);
        Directory.CreateDirectory(core.Layout.TempDirectory);
        var output = Path.Combine(core.Layout.TempDirectory, $"transcribe-{job.Id}-{Guid.NewGuid():N}.json");
        try
        {
            var (exitCode, error) = await RunChildAsync(core.Layout.Resolve(episode.AudioPath), episode.Title, output, progress, cancellationToken);
            if (exitCode != 0)
            {
                var permanent = error.Kind == "audio";
                core.Episodes.SetStatus(episode.Id, permanent ? EpisodeStatus.Failed : EpisodeStatus.AudioReady, error.Message, permanent);
                throw new JobFailedException(error.Message ?? $"transcription exited with code {exitCode}", permanent);
            }

            var document = JsonSerializer.Deserialize(await File.ReadAllTextAsync(output, cancellationToken), Cast2mdJsonContext.Default.TranscriptJsonDocument)
                ?? throw new JobFailedException("the transcription produced no result", isPermanent: false);
            var transcript = document.ToTranscript() with { Title = episode.Title, Source = "whisper" };
            var path = await core.Transcripts.SaveAsync(episode, feed.DisplayTitle, transcript, cancellationToken);
            core.Episodes.SetTranscript(episode.Id, path, "whisper", transcript.Model, transcript.Language);
            logger.LogInformation("episode {Episode}: transcribed ({Segments} segments, {Language}) to {Path}", episode.Id, transcript.Segments.Count, transcript.Language, path);
        }
        catch (OperationCanceledException)
        {
            core.Episodes.SetStatus(episode.Id, EpisodeStatus.AudioReady);
            throw;
        }
        finally
        {
            File.Delete(output);
        }
    }

    private async Task<(int ExitCode, (string? Message, string? Kind) Error)> RunChildAsync(
        string audio, string title, string output, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var settings = core.Settings;
        string? message = null, kind = null;
        var arguments = new List<string>
        {
            "transcribe", audio, "--output", output, "--format", "json", "--progress", "json", "--title", title,
            "--exit-with-parent", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--model", settings.GetString(SettingDefinitions.WhisperModel),
            "--compute-type", settings.GetString(SettingDefinitions.WhisperComputeType),
            "--device", settings.GetString(SettingDefinitions.WhisperDevice),
            "--chunk-minutes", settings.GetDouble(SettingDefinitions.WhisperChunkSizeMinutes).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        void OnLine(string line)
        {
            if (!line.StartsWith('{'))
                return;
            try
            {
                using var json = JsonDocument.Parse(line);
                var root = json.RootElement;
                switch (root.GetProperty("event").GetString())
                {
                    case "progress":
                        progress.Report(root.GetProperty("percent").GetDouble());
                        break;
                    case "error":
                        message = root.GetProperty("message").GetString();
                        kind = root.GetProperty("kind").GetString();
                        break;
                    case "log" when root.GetProperty("level").GetString() is "error" or "warning":
                        logger.LogWarning("transcriber: {Message}", root.GetProperty("message").GetString());
                        break;
                }
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                // Not one of our events (a native library printing to stderr): ignore it.
            }
        }

        // Ctrl+C first (the child stops whisper via its abort callback and cleans up), a kill three seconds later (shutdown must finish within 10 s).
        using var forceful = new CancellationTokenSource();
        await using var escalate = cancellationToken.Register(() => forceful.CancelAfter(TimeSpan.FromSeconds(3)));
        var result = await Cli.Wrap(options.TranscriberExecutable)
            .WithArguments(arguments)
            .WithStandardErrorPipe(PipeTarget.ToDelegate(OnLine))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(forceful.Token, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        return (result.ExitCode, (message, kind));
    }
}
