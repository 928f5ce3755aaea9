using System.Diagnostics;
using System.Text.Json;
using Cast2md.Cli.Infrastructure;
using Cast2md.Cli.Progress;
using Cast2md.Json;
using Cast2md.Media;
using Cast2md.Transcription;
using Cast2md.Transcripts;
using Cast2md.Whisper;
using ConsoleAppFramework;

namespace Cast2md.Cli.Commands;

[RegisterCommands]
internal sealed partial class TranscribeCommand
{
    /// <summary>
    /// Transcribe an audio or video file (anything ffmpeg reads) to Markdown, SRT, VTT, JSON or TXT; or, given an episode id
    /// (a number that is not a file), queue the transcription of that downloaded episode (with --wait, wait for it).
    /// </summary>
    /// <param name="file">The audio or video file, or an episode id.</param>
    /// <param name="model">-m, Model name (tiny, base, small, medium, large-v3, large-v3-turbo, ...) or path to a ggml .bin file. Default: $WHISPER_MODEL, else large-v3-turbo.</param>
    /// <param name="computeType">Model variant: int8 (q8_0 file), float16, q5_0, q5_1. Default: $WHISPER_COMPUTE_TYPE, else int8.</param>
    /// <param name="language">-l, Spoken language: auto, or a code such as en or de.</param>
    /// <param name="format">-f, Output format: md, srt, vtt, json or txt. Default: from --output's extension, else md.</param>
    /// <param name="output">-o, Write the transcript to this file (atomically) instead of stdout.</param>
    /// <param name="threads">-t, CPU threads for whisper. Default: min(4, cores), as whisper-cli.</param>
    /// <param name="noTimestamps">Markdown and TXT as paragraphs, without timestamps.</param>
    /// <param name="timestamps">Timestamps in Markdown and TXT (the default; accepted as the original's -t/--timestamps for an episode id).</param>
    /// <param name="progress">Progress on stderr: auto (a bar on a terminal, lines when piped), bar, plain, json (one JSON object per stderr line), none.</param>
    /// <param name="title">Heading of the Markdown transcript. Default: the file's name.</param>
    /// <param name="device">auto, cpu, cuda or metal. Default: $WHISPER_DEVICE, else auto (the GPU when the build has one).</param>
    /// <param name="beamSize">Beam search width; 1 decodes greedily (faster). Default 5, as whisper-cli.</param>
    /// <param name="parallel">Whisper states decoding at once, sharing --threads: auto (one per thread on a CPU, as memory allows) or 1-16. Default: $WHISPER_PARALLEL, else auto.</param>
    /// <param name="chunkMinutes">Minutes of audio held in memory and transcribed at once; cuts fall in silence. Default: $WHISPER_CHUNK_SIZE_MINUTES, else 30.</param>
    /// <param name="vad">Transcribe only where someone speaks: voice-activity detection skips music, silence and noise. Default: $WHISPER_VAD, else on.</param>
    /// <param name="noVad">Transcribe all audio that is not silent, music and noise included (whisper may invent words for them).</param>
    /// <param name="vadModel">Voice-activity model: silero-v6.2.0 (downloaded on first use) or a path to a Silero ggml .bin file. Default: $WHISPER_VAD_MODEL, else silero-v6.2.0.</param>
    /// <param name="vadMinSilenceMs">Pauses shorter than this many milliseconds stay inside a stretch of speech. Default: $WHISPER_VAD_MIN_SILENCE_MS, else 500.</param>
    /// <param name="vadThreshold">How sure the model must be that audio is speech, 0.01-0.99. Default: $WHISPER_VAD_THRESHOLD, else 0.5.</param>
    /// <param name="wait">-w, Episode only: wait until the transcript is written (runs the workers in this process unless `serve` runs). Exit 1 if it failed.</param>
    /// <param name="timeout">Episode only, with --wait: stop waiting after this many minutes (exit 1; the job stays queued).</param>
    /// <param name="priority">Episode only: job priority; lower runs first.</param>
    /// <param name="json">Episode only: print the result as one JSON document on stdout.</param>
    /// <param name="exitWithParent">Stop when this process id is gone (used by the server's workers, so a killed server leaves no orphan).</param>
    [Command("transcribe")]
    public async Task<int> RunAsync(
        [Argument] string file,
        string? model = null,
        string? computeType = null,
        string language = "auto",
        string? format = null,
        string? output = null,
        int? threads = null,
        bool noTimestamps = false,
        bool timestamps = false,
        ProgressMode progress = ProgressMode.Auto,
        string? title = null,
        string? device = null,
        int beamSize = 5,
        double? chunkMinutes = null,
        string? parallel = null,
        bool vad = false,
        bool noVad = false,
        string? vadModel = null,
        int? vadMinSilenceMs = null,
        double? vadThreshold = null,
        bool wait = false,
        double? timeout = null,
        int priority = Services.QueueService.DefaultPriority,
        bool json = false,
        [Hidden] int? exitWithParent = null,
        CancellationToken cancellationToken = default
    )
    {
        if (timestamps && noTimestamps)
            throw new UsageException("--timestamps and --no-timestamps contradict each other; give one.");
        if (IsEpisodeId(file, out var episodeId))
        {
            RejectFileOptions(
                model,
                computeType,
                language,
                format,
                output,
                threads,
                noTimestamps,
                title,
                device,
                beamSize,
                chunkMinutes,
                parallel,
                vad,
                noVad,
                vadModel,
                vadMinSilenceMs,
                vadThreshold
            );
            return await TranscribeEpisodeAsync(episodeId, wait, timeout, priority, progress, json, cancellationToken);
        }
        using var parentGone = ParentWatch.Start(exitWithParent);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, parentGone.Token);
        cancellationToken = linked.Token;
        var clock = Stopwatch.StartNew();
        progress = ProgressReporter.Resolve(progress);
        Log.IsJson = progress == ProgressMode.Json;
        RouteNativeLog(Log.IsVerbose);

        var outputFormat = ResolveFormat(format, output);
        if (output is not null)
            EnsureOutputDirectoryExists(output);
        if (threads is < 1)
            throw new UsageException("--threads must be at least 1.");
        var chunk = chunkMinutes ?? CliSettings.Double(Settings.SettingDefinitions.WhisperChunkSizeMinutes) ?? 30;
        if (chunk <= 0)
            throw new UsageException("--chunk-minutes must be greater than 0.");
        var parallelText = parallel ?? CliSettings.String(Settings.SettingDefinitions.WhisperParallel);
        if (!DecodingParallelism.TryParse(parallelText, out var decodingParallelism))
            throw new UsageException(
                $"{(parallel is null ? "WHISPER_PARALLEL" : "--parallel")} '{parallelText}' is not auto or a number of whisper states from 1 to {DecodingParallelism.MaxStates}."
            );
        var useGpu = ResolveDevice(device ?? CliSettings.String(Settings.SettingDefinitions.WhisperDevice));
        var voiceActivity = ReadVoiceActivity(vad, noVad, vadModel, vadMinSilenceMs, vadThreshold);
        var whisperThreads = threads ?? WhisperRunOptions.DefaultThreads;

        var modelPath = await ModelResolution.ResolveAsync(model, computeType, progress, cancellationToken);
        var vadModelPath = voiceActivity.Enabled
            ? await ModelResolution.ResolveVoiceActivityOrWarnAsync(voiceActivity.Model, progress, cancellationToken)
            : null;

        var request = new TranscriptionRequest(Path.GetFullPath(file), modelPath)
        {
            Title = title ?? Path.GetFileNameWithoutExtension(file),
            Whisper = new WhisperRunOptions
            {
                Language = language.Trim().ToLowerInvariant(),
                Threads = whisperThreads,
                BeamSize = beamSize,
            },
            Model = new WhisperModelOptions { UseGpu = useGpu },
            Chunking = ChunkingFor(TimeSpan.FromMinutes(chunk)),
            Parallel = decodingParallelism,
            VadModelPath = vadModelPath,
            Vad = voiceActivity.ToOptions(whisperThreads),
        };

        var reporter = new ProgressReporter(progress, "transcribing");
        var transcriber = new AudioTranscriber
        {
            Warning = Log.Warn,
            LanguageDetected = (code, probability) => OnLanguage(code, probability, progress == ProgressMode.Json),
        };
        Transcript transcript;
        try
        {
            transcript = await transcriber.TranscribeAsync(request, progress == ProgressMode.None ? null : reporter, cancellationToken);
        }
        finally
        {
            reporter.Complete();
        }

        var writeOptions = new TranscriptWriteOptions { IncludeTimestamps = !noTimestamps };
        if (output is null)
        {
            await Console.Out.WriteAsync(TranscriptWriter.Write(transcript, outputFormat, writeOptions));
            await Console.Out.FlushAsync(cancellationToken);
        }
        else
        {
            await TranscriptWriter.WriteFileAsync(transcript, outputFormat, output, writeOptions, cancellationToken);
        }

        if (progress == ProgressMode.Json)
            Log.WriteRaw(
                JsonSerializer.Serialize(
                    new DoneEvent(
                        "done",
                        transcript.Segments.Count,
                        transcript.Language,
                        transcript.LanguageProbability,
                        transcript.DurationMs,
                        output is null ? null : Path.GetFullPath(output),
                        Math.Round(clock.Elapsed.TotalSeconds, 3)
                    ),
                    Cast2mdJsonContext.Default.DoneEvent
                ) + "\n"
            );
        else
            Log.Debug($"transcribed {transcript.Segments.Count} segments in {clock.Elapsed.TotalSeconds:0.0} s");
        return ExitCodes.Ok;
    }

    private static TranscriptFormat ResolveFormat(string? format, string? output)
    {
        if (format is not null)
            return TranscriptFormats.TryParse(format, out var parsed)
                ? parsed
                : throw new UsageException($"Unknown --format '{format}': use md, srt, vtt, json or txt.");
        if (output is not null && TranscriptFormats.TryParse(Path.GetExtension(output).TrimStart('.'), out var fromExtension))
            return fromExtension;
        return TranscriptFormat.Md;
    }

    private static void EnsureOutputDirectoryExists(string output)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(output))!;
        if (!Directory.Exists(directory))
            throw new UsageException($"The output folder '{directory}' does not exist.");
    }

    private static bool ResolveDevice(string? device) =>
        (device ?? "auto").Trim().ToLowerInvariant() switch
        {
            "" or "auto" or "cuda" or "gpu" or "metal" or "mps" => true,
            "cpu" => false,
            _ => throw new UsageException($"Unknown device '{device}': use auto, cpu, cuda or metal."),
        };

    private static ChunkingOptions ChunkingFor(TimeSpan length)
    {
        // The silence search window is a tenth of the chunk, at most 30 s, so short test chunks still work.
        var window = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(30).Ticks, length.Ticks / 10));
        return new ChunkingOptions { ChunkLength = length, SilenceSearchWindow = window };
    }

    private static void OnLanguage(string code, float? probability, bool json)
    {
        if (json)
            Log.WriteRaw(JsonSerializer.Serialize(new LanguageEvent("language", code, probability), Cast2mdJsonContext.Default.LanguageEvent) + "\n");
        else
            Log.Debug(probability is { } p ? $"language: {code} ({p * 100:0.0}%)" : $"language: {code}");
    }

    private static void RouteNativeLog(bool verbose) =>
        WhisperLog.SetSink(
            (level, message) =>
            {
                if (verbose || level >= WhisperLogLevel.Warning)
                    (
                        level >= WhisperLogLevel.Error ? (Action<string>)Log.Error
                        : level == WhisperLogLevel.Warning ? Log.Warn
                        : Log.Info
                    )("whisper: " + message.TrimEnd());
            }
        );
}
