using Cast2md.Media;
using Cast2md.Transcripts;
using Cast2md.Whisper;

namespace Cast2md.Transcription;

/// <summary>
/// Audio file in, <see cref="Transcript"/> out: ffmpeg decodes into bounded, silence-aligned chunks, whisper.cpp
/// transcribes each, and segment times are shifted by the chunk's exact start. With a voice-activity model, only the
/// speech of each chunk is transcribed (see <see cref="SpeechLayout"/>) and its times are mapped back exactly.
/// </summary>
public sealed class AudioTranscriber
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
        CancellationToken cancellationToken = default)
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
            ? Task.Run<IVoiceDetector?>(() =>
            {
                WhisperRuntime.EnsureLoaded(preferCpu: !request.Model.UseGpu);
                return VoiceDetectorFactory(vadModelPath, request.Vad with { SpeechPadding = TimeSpan.Zero });
            }, cancellationToken)
            : Task.FromResult<IVoiceDetector?>(null);
        await using var chunks = decoder.DecodeChunksAsync(request.AudioPath, request.Chunking, Warning, cancellationToken).GetAsyncEnumerator(cancellationToken);
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
        using var session = model.CreateSession();
        var duration = await durationTask;
        var totalSamples = duration is { } d ? (long)(d.TotalSeconds * AudioDecoder.SampleRate) : (long?)null;

        var segments = new List<TranscriptSegment>();
        var options = request.Whisper;
        string? language = null;
        float? languageProbability = null;
        long decodedSamples = 0;
        var heardSound = false;
        var heardSpeech = false;
        float[] speechBuffer = [];

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

            // Without a detector the whole chunk is one passage; with one, each passage of its speech (see SpeechLayout).
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
                // One passage at a time: usually at most one whisper window, so the speech adds little to the chunk's memory.
                if (speechBuffer.Length < layout.LongestPassage)
                    speechBuffer = GC.AllocateUninitializedArray<float>(layout.LongestPassage);
            }
            heardSpeech = true;

            var passages = layout?.Passages ?? [new SpeechLayout.Passage(0, 0, 0, chunk.Samples.Length)];
            var bufferLength = layout?.BufferLength ?? chunk.Samples.Length;
            foreach (var passage in passages)
            {
                ReadOnlyMemory<float> samples = chunk.Samples;
                if (layout is not null)
                {
                    layout.Compose(passage, chunk.Samples.Span, speechBuffer);
                    samples = speechBuffer.AsMemory(0, passage.Length);
                }

                // Whisper's progress through a passage is shown as progress through the chunk, so it stays monotonic.
                IProgress<int>? passageProgress = progress is null ? null : new SynchronousProgress<int>(percent =>
                {
                    var done = (passage.BufferStart + passage.Length * (percent / 100.0)) / bufferLength;
                    progress.Report(ProgressAt(chunk.StartSample + (long)(chunk.Samples.Length * done), totalSamples));
                });
                var result = await TranscribeAsync(session, samples, options, passageProgress, cancellationToken);

                if (language is null)
                {
                    language = result.Language;
                    languageProbability = result.LanguageProbability;
                    LanguageDetected?.Invoke(language, languageProbability);
                    // Later passages keep the first one's language: consistent output and no detection pass per call.
                    if (options.Language == "auto")
                        options = options with { Language = language };
                }

                foreach (var segment in result.Segments)
                {
                    var (startMs, endMs) = layout?.MapSegment(passage, segment.StartMs, segment.EndMs) ?? (segment.StartMs, segment.EndMs);
                    segments.Add(new TranscriptSegment(chunk.StartMs + startMs, chunk.StartMs + endMs, segment.Text.Trim()));
                }
            }
            progress?.Report(ProgressAt(decodedSamples, totalSamples));
        }

        var durationMs = totalSamples is not null ? (long)duration!.Value.TotalMilliseconds : decodedSamples * 1000 / AudioDecoder.SampleRate;
        progress?.Report(new TranscriptionProgress(TimeSpan.FromMilliseconds(durationMs), TimeSpan.FromMilliseconds(durationMs)));

        var hasText = segments.Exists(s => s.Text.Length > 0);
        if (!hasText)
            Warning?.Invoke(!heardSound ? "the audio is silent: nothing to transcribe"
                : !heardSpeech ? "no speech was detected in the audio (only silence, music or noise)"
                : "no speech was recognised in the audio");
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

    /// <summary>The one place whisper runs: samples relative to their first, segments in ms relative to the same.</summary>
    private static Task<WhisperResult> TranscribeAsync(
        WhisperSession session, ReadOnlyMemory<float> samples, WhisperRunOptions options, IProgress<int>? progress, CancellationToken cancellationToken) =>
        RunOnWorkerThreadAsync(() => session.Transcribe(samples, options, progress, cancellationToken), cancellationToken);

    /// <summary>Both loads finished; whatever loaded is disposed again when the other failed.</summary>
    private static async Task<(WhisperModel Model, IVoiceDetector? Detector)> LoadBothAsync(Task<WhisperModel> modelTask, Task<IVoiceDetector?> detectorTask)
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
        new(TimeSpan.FromSeconds((double)samples / AudioDecoder.SampleRate),
            totalSamples is { } total ? TimeSpan.FromSeconds((double)Math.Max(total, samples) / AudioDecoder.SampleRate) : null);

    // whisper_full blocks for the whole chunk; keep it off the thread pool's short-task threads.
    private static Task<T> RunOnWorkerThreadAsync<T>(Func<T> work, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(work, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Reports on the calling (native callback) thread instead of posting to a sync context.</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
