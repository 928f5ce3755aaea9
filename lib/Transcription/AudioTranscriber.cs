using Cast2md.Media;
using Cast2md.Transcripts;
using Cast2md.Whisper;

namespace Cast2md.Transcription;

/// <summary>
/// Audio file in, <see cref="Transcript"/> out: ffmpeg decodes into bounded, silence-aligned chunks, whisper.cpp
/// transcribes each, and segment times are shifted by the chunk's exact start. With a voice-activity model, only the
/// speech of each chunk is transcribed (see <see cref="SpeechLayout"/>) and its times are mapped back exactly.
/// </summary>
public sealed partial class AudioTranscriber
{
    public const string NoSpeechNote = "No speech detected";

    /// <summary>Called once the spoken language is known (detected on the first chunk with speech).</summary>
    public Action<string, float?>? LanguageDetected { get; init; }

    /// <summary>One-line warnings (a truncated file, a skipped silent chunk).</summary>
    public Action<string>? Warning { get; init; }

    /// <summary>Loads the voice-activity detector for <see cref="TranscriptionRequest.VadModelPath"/> (tests: a stand-in).</summary>
    public Func<string, VadOptions, IVoiceDetector> VoiceDetectorFactory { get; init; } = (path, options) => WhisperVoiceDetector.Load(path, options);

    public async Task<Transcript> TranscribeAsync(
        TranscriptionRequest request,
        IProgress<TranscriptionProgress>? progress = null,
        CancellationToken cancellationToken = default
    )
    {
        var decoder = new AudioDecoder(request.Ffmpeg);

        // The models load (seconds for large ones) while ffprobe reads the duration and ffmpeg decodes the first chunk.
        // The duration only serves progress; without a listener it comes from the decoded samples, and ffprobe's
        // process start (a tenth of a second on two cores) is saved.
        var durationTask = progress is null ? Task.FromResult<TimeSpan?>(null) : decoder.ProbeDurationAsync(request.AudioPath, cancellationToken);
        var modelTask = Task.Run(() => WhisperModel.Load(request.ModelPath, request.Model), cancellationToken);
        // The detector reports bare speech: SpeechLayout pads it, so it knows where the words really begin.
        // Whichever load runs first picks the native runtime for the process, so both state the device preference.
        var detectorTask = request.VadModelPath is { } vadModelPath
            ? Task.Run<IVoiceDetector?>(
                () =>
                {
                    WhisperRuntime.EnsureLoaded(preferCpu: !request.Model.UseGpu);
                    return VoiceDetectorFactory(vadModelPath, request.Vad with { SpeechPadding = TimeSpan.Zero });
                },
                cancellationToken
            )
            : Task.FromResult<IVoiceDetector?>(null);
        await using var chunks = decoder
            .DecodeChunksAsync(request.AudioPath, request.Chunking, Warning, cancellationToken)
            .GetAsyncEnumerator(cancellationToken);
        var firstChunk = chunks.MoveNextAsync().AsTask();
        WhisperModel model;
        IVoiceDetector? detector;
        try
        {
            (model, detector) = await LoadBothAsync(modelTask, detectorTask);
        }
        catch
        {
            // The enumerator cannot be disposed while a read is pending: let it finish (or fail) first.
            await Task.WhenAny(firstChunk);
            throw;
        }

        using var loadedModel = model;
        using var loadedDetector = detector;
        using var sessions = new SessionPool(model);
        var duration = await durationTask;
        var totalSamples = duration is { } d ? (long)(d.TotalSeconds * AudioDecoder.SampleRate) : (long?)null;

        var segments = new List<TranscriptSegment>();
        var options = request.Whisper;
        var states = request.Parallel.Resolve(
            options.Threads,
            ModelBytes(request.ModelPath),
            request.Model.UseGpu,
            DecodingParallelism.AvailableMemoryBytes()
        );
        string? language = null;
        float? languageProbability = null;
        long decodedSamples = 0;
        var heardSound = false;
        var heardSpeech = false;

        for (var hasChunk = await firstChunk; hasChunk; hasChunk = await chunks.MoveNextAsync())
        {
            var chunk = chunks.Current;
            decodedSamples = chunk.StartSample + chunk.Samples.Length;
            if (chunk.IsSilent)
            {
                // whisper invents text ("Thank you.") on silence; a silent chunk has nothing to say.
                progress?.Report(ProgressAt(decodedSamples, totalSamples));
                continue;
            }
            heardSound = true;

            // Without a detector the chunk is one part (or, decoding in parallel, a few cut at its quietest moments);
            // with one, each passage of its speech is a part (see SpeechLayout).
            SpeechLayout? layout = null;
            if (detector is not null)
            {
                var speech = await RunOnWorkerThreadAsync(() => detector.DetectSpeech(chunk.Samples.Span, cancellationToken), cancellationToken);
                layout = SpeechLayout.Build(speech, chunk.Samples.Length, request.Vad.SpeechPadding);
                if (layout.IsEmpty)
                {
                    // Music, noise, a room tone: whisper would only invent words for it.
                    progress?.Report(ProgressAt(decodedSamples, totalSamples));
                    continue;
                }
            }
            heardSpeech = true;

            var parts = PlanParts(chunk, layout, states);
            var workers = Math.Min(states, parts.Count);
            if (workers > 1 && language is null)
            {
                // Every part decodes in one language, chosen once on the first part's audio, as one state would have.
                var first = parts[0].Read(chunk, layout);
                (language, languageProbability) = await RunOnWorkerThreadAsync(
                    () => sessions[0].ChooseLanguage(first.Span, options),
                    cancellationToken
                );
                LanguageDetected?.Invoke(language, languageProbability);
                if (options.Language == "auto")
                    options = options with { Language = language };
            }

            var chunkProgress = progress is null
                ? null
                : new PartProgress(parts, done => progress.Report(ProgressAt(chunk.StartSample + (long)(chunk.Samples.Length * done), totalSamples)));
            WhisperResult[] results;
            if (workers > 1)
                results = await DecodePartsAsync(sessions, chunk, layout, parts, workers, options, chunkProgress, cancellationToken);
            else
            {
                results = new WhisperResult[parts.Count];
                var buffer = new PartBuffer();
                for (var i = 0; i < parts.Count; i++)
                {
                    results[i] = await DecodePartAsync(
                        sessions[0],
                        chunk,
                        layout,
                        parts[i],
                        buffer,
                        options,
                        chunkProgress?.For(i),
                        cancellationToken
                    );
                    if (language is null)
                    {
                        language = results[i].Language;
                        languageProbability = results[i].LanguageProbability;
                        LanguageDetected?.Invoke(language, languageProbability);
                        // Later parts keep the first one's language: consistent output and no detection pass per call.
                        if (options.Language == "auto")
                            options = options with { Language = language };
                    }
                }
            }

            for (var i = 0; i < parts.Count; i++)
                foreach (var segment in results[i].Segments)
                {
                    var (startMs, endMs) = parts[i].Map(layout, segment.StartMs, segment.EndMs);
                    segments.Add(new TranscriptSegment(chunk.StartMs + startMs, chunk.StartMs + endMs, segment.Text.Trim()));
                }
            progress?.Report(ProgressAt(decodedSamples, totalSamples));
        }

        var durationMs = totalSamples is not null ? (long)duration!.Value.TotalMilliseconds : decodedSamples * 1000 / AudioDecoder.SampleRate;
        progress?.Report(new TranscriptionProgress(TimeSpan.FromMilliseconds(durationMs), TimeSpan.FromMilliseconds(durationMs)));

        var hasText = segments.Exists(s => s.Text.Length > 0);
        if (!hasText)
            Warning?.Invoke(
                !heardSound ? "the audio is silent: nothing to transcribe"
                : !heardSpeech ? "no speech was detected in the audio (only silence, music or noise)"
                : "no speech was recognised in the audio"
            );
        return new Transcript(segments)
        {
            Title = request.Title,
            Language = language,
            LanguageProbability = languageProbability,
            Model = Path.GetFileName(request.ModelPath),
            DurationMs = durationMs,
            Note = hasText ? null : NoSpeechNote,
        };
    }

    /// <summary>Both loads finished; whatever loaded is disposed again when the other failed.</summary>
    private static async Task<(WhisperModel Model, IVoiceDetector? Detector)> LoadBothAsync(
        Task<WhisperModel> modelTask,
        Task<IVoiceDetector?> detectorTask
    )
    {
        try
        {
            await Task.WhenAll(modelTask, detectorTask);
        }
        catch
        {
            if (modelTask.IsCompletedSuccessfully)
                modelTask.Result.Dispose();
            if (detectorTask.IsCompletedSuccessfully)
                detectorTask.Result?.Dispose();
            // The whisper model's failure (a wrong path, say) explains more than the detector's.
            await (modelTask.IsFaulted || modelTask.IsCanceled ? (Task)modelTask : detectorTask);
            throw;
        }
        return (modelTask.Result, detectorTask.Result);
    }

    private static TranscriptionProgress ProgressAt(long samples, long? totalSamples) =>
        new(
            TimeSpan.FromSeconds((double)samples / AudioDecoder.SampleRate),
            totalSamples is { } total ? TimeSpan.FromSeconds((double)Math.Max(total, samples) / AudioDecoder.SampleRate) : null
        );

    // whisper_full blocks for the whole chunk; keep it off the thread pool's short-task threads.
    private static Task<T> RunOnWorkerThreadAsync<T>(Func<T> work, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(work, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Reports on the calling (native callback) thread instead of posting to a sync context.</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
