using Cast2md.Media;
using Cast2md.Transcripts;
using Cast2md.Whisper;

namespace Cast2md.Transcription;

/// <summary>
/// Audio file in, <see cref="Transcript"/> out: ffmpeg decodes into bounded, silence-aligned chunks,
/// whisper.cpp transcribes each, and segment times are shifted by the chunk's exact start.
/// </summary>
public sealed class AudioTranscriber
{
    public const string NoSpeechNote = "No speech detected";

    /// <summary>Called once the spoken language is known (detected on the first chunk with sound).</summary>
    public Action<string, float?>? LanguageDetected { get; init; }

    /// <summary>One-line warnings (a truncated file, a skipped silent chunk).</summary>
    public Action<string>? Warning { get; init; }

    public async Task<Transcript> TranscribeAsync(
        TranscriptionRequest request,
        IProgress<TranscriptionProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var decoder = new AudioDecoder(request.Ffmpeg);

        // The model loads (seconds for large ones) while ffprobe reads the duration and ffmpeg decodes the first chunk.
        // The duration only serves progress; without a listener it comes from the decoded samples, and ffprobe's
        // process start (a tenth of a second on two cores) is saved.
        var durationTask = progress is null ? Task.FromResult<TimeSpan?>(null) : decoder.ProbeDurationAsync(request.AudioPath, cancellationToken);
        var modelTask = Task.Run(() => WhisperModel.Load(request.ModelPath, request.Model), cancellationToken);
        await using var chunks = decoder.DecodeChunksAsync(request.AudioPath, request.Chunking, Warning, cancellationToken).GetAsyncEnumerator(cancellationToken);
        var firstChunk = chunks.MoveNextAsync().AsTask();
        WhisperModel model;
        try
        {
            model = await modelTask;
        }
        catch
        {
            // The enumerator cannot be disposed while a read is pending: let it finish (or fail) first.
            await Task.WhenAny(firstChunk);
            throw;
        }

        using var loadedModel = model;
        using var session = model.CreateSession();
        var duration = await durationTask;
        var totalSamples = duration is { } d ? (long)(d.TotalSeconds * AudioDecoder.SampleRate) : (long?)null;

        var segments = new List<TranscriptSegment>();
        var options = request.Whisper;
        string? language = null;
        float? languageProbability = null;
        long decodedSamples = 0;
        var heardSound = false;

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
            IProgress<int>? chunkProgress = progress is null ? null : new SynchronousProgress<int>(percent =>
                progress.Report(ProgressAt(chunk.StartSample + (long)(chunk.Samples.Length * (percent / 100.0)), totalSamples)));
            var runOptions = options;
            var result = await RunOnWorkerThreadAsync(() => session.Transcribe(chunk.Samples, runOptions, chunkProgress, cancellationToken), cancellationToken);

            if (language is null)
            {
                language = result.Language;
                languageProbability = result.LanguageProbability;
                LanguageDetected?.Invoke(language, languageProbability);
                // Later chunks keep the first chunk's language: consistent output and no detection pass per chunk.
                if (options.Language == "auto")
                    options = options with { Language = language };
            }

            foreach (var segment in result.Segments)
                segments.Add(new TranscriptSegment(chunk.StartMs + segment.StartMs, chunk.StartMs + segment.EndMs, segment.Text.Trim()));
            progress?.Report(ProgressAt(decodedSamples, totalSamples));
        }

        var durationMs = totalSamples is not null ? (long)duration!.Value.TotalMilliseconds : decodedSamples * 1000 / AudioDecoder.SampleRate;
        progress?.Report(new TranscriptionProgress(TimeSpan.FromMilliseconds(durationMs), TimeSpan.FromMilliseconds(durationMs)));

        var hasText = segments.Exists(s => s.Text.Length > 0);
        if (!hasText)
            Warning?.Invoke(heardSound ? "no speech was recognised in the audio" : "the audio is silent: nothing to transcribe");
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
