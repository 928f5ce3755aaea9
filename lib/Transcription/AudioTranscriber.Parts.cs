using Cast2md.Media;
using Cast2md.Whisper;

namespace Cast2md.Transcription;

/// <summary>
/// The parts of a chunk whisper decodes, one call each, and how several of them are decoded at once: each by its own
/// session (a whisper state of the one loaded model) with its share of the threads. Parts are contiguous and cut only
/// in silence (between passages of speech, or at the quietest moment), so a word is never split, and their segments
/// are put back in time order with exact times.
/// </summary>
public sealed partial class AudioTranscriber
{
    /// <summary>A part decoded in parallel should fill whisper's 30 s windows: shorter parts waste encoder passes.</summary>
    internal static readonly int MinPartSamples = 60 * AudioDecoder.SampleRate;

    /// <summary>Where a cut between two parts of a chunk without speech detection may move to find a quiet moment.</summary>
    internal static readonly int CutSearchSamples = 10 * AudioDecoder.SampleRate;

    private const int SamplesPerMs = AudioDecoder.SampleRate / 1000;

    /// <summary>
    /// The parts of one chunk: with a layout, its passages; without, the whole chunk, or — for <paramref name="states"/>
    /// &gt; 1 — up to that many pieces of at least a minute, each cut at the quietest 100 ms near its even share.
    /// </summary>
    internal static IReadOnlyList<DecodePart> PlanParts(AudioChunk chunk, SpeechLayout? layout, int states)
    {
        if (layout is not null)
            return [.. layout.Passages.Select(p => new DecodePart(p.BufferStart, p.Length, p))];
        var length = chunk.Samples.Length;
        var count = Math.Clamp(Math.Min(states, length / MinPartSamples), 1, DecodingParallelism.MaxStates);
        if (count == 1)
            return [new DecodePart(0, length, null)];
        var parts = new List<DecodePart>(count);
        var start = 0;
        var samples = chunk.Samples.Span;
        for (var k = 1; k < count; k++)
        {
            var target = (int)((long)length * k / count);
            var cut = PcmChunker.FindCut(samples, Math.Max(start + 1, target - CutSearchSamples), Math.Min(length - 1, target + CutSearchSamples));
            cut = cut / SamplesPerMs * SamplesPerMs; // whole milliseconds: times map back exactly
            if (cut <= start)
                continue;
            parts.Add(new DecodePart(start, cut - start, null));
            start = cut;
        }
        parts.Add(new DecodePart(start, length - start, null));
        return parts;
    }

    /// <summary>Decodes <paramref name="parts"/> with <paramref name="workers"/> sessions at once; results in part order.</summary>
    private static async Task<WhisperResult[]> DecodePartsAsync(
        SessionPool sessions,
        AudioChunk chunk,
        SpeechLayout? layout,
        IReadOnlyList<DecodePart> parts,
        int workers,
        WhisperRunOptions options,
        PartProgress? progress,
        CancellationToken cancellationToken
    )
    {
        var results = new WhisperResult[parts.Count];
        var each = options with { Threads = Math.Max(1, options.Threads / workers) };
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var next = -1;
        async Task Work(WhisperSession session)
        {
            var buffer = new PartBuffer();
            for (var i = Interlocked.Increment(ref next); i < parts.Count; i = Interlocked.Increment(ref next))
                results[i] = await DecodePartAsync(session, chunk, layout, parts[i], buffer, each, progress?.For(i), failed.Token);
        }

        var running = new List<Task>(workers);
        for (var w = 0; w < workers; w++)
        {
            var session = sessions[w];
            running.Add(
                Task.Run(
                    async () =>
                    {
                        try
                        {
                            await Work(session);
                        }
                        catch
                        {
                            // One part failed: the others stop at their next compute step instead of decoding in vain.
                            await failed.CancelAsync();
                            throw;
                        }
                    },
                    CancellationToken.None
                )
            );
        }
        try
        {
            await Task.WhenAll(running);
        }
        catch when (!cancellationToken.IsCancellationRequested)
        {
            // The first real failure explains the run; the others' cancellations only followed it.
            var first = running.Select(t => t.Exception?.InnerException).FirstOrDefault(e => e is not null and not OperationCanceledException);
            if (first is not null)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
            throw;
        }
        return results;
    }

    /// <summary>The one place whisper runs: a part's samples in, segments in ms from the part's start out.</summary>
    private static Task<WhisperResult> DecodePartAsync(
        WhisperSession session,
        AudioChunk chunk,
        SpeechLayout? layout,
        DecodePart part,
        PartBuffer buffer,
        WhisperRunOptions options,
        IProgress<int>? progress,
        CancellationToken cancellationToken
    )
    {
        var samples = part.Read(chunk, layout, buffer);
        return RunOnWorkerThreadAsync(() => session.Transcribe(samples, options, progress, cancellationToken), cancellationToken);
    }

    private static long ModelBytes(string modelPath)
    {
        try
        {
            return new FileInfo(modelPath).Length;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>
    /// Samples <see cref="Start"/> … + <see cref="Length"/> of what whisper hears for a chunk: the chunk itself, or
    /// with a layout its compact speech buffer, one <see cref="Passage"/>.
    /// </summary>
    internal readonly record struct DecodePart(int Start, int Length, SpeechLayout.Passage? Passage)
    {
        /// <summary>The part's samples: a slice of the chunk, or the passage composed into <paramref name="buffer"/>.</summary>
        public ReadOnlyMemory<float> Read(AudioChunk chunk, SpeechLayout? layout, PartBuffer? buffer = null)
        {
            if (layout is null || Passage is not { } passage)
                return chunk.Samples.Slice(Start, Length);
            var target = (buffer ?? new PartBuffer()).Rent(passage.Length);
            layout.Compose(passage, chunk.Samples.Span, target);
            return target.AsMemory(0, passage.Length);
        }

        /// <summary>A segment of this part (ms from its start) to ms in the chunk.</summary>
        public (long StartMs, long EndMs) Map(SpeechLayout? layout, long startMs, long endMs)
        {
            if (layout is not null && Passage is { } passage)
                return layout.MapSegment(passage, startMs, endMs);
            var lengthMs = Length / SamplesPerMs;
            var offsetMs = Start / SamplesPerMs;
            return (offsetMs + Math.Clamp(startMs, 0, lengthMs), offsetMs + Math.Clamp(endMs, 0, lengthMs));
        }
    }

    /// <summary>One worker's speech buffer, grown to the longest passage it composed.</summary>
    internal sealed class PartBuffer
    {
        private float[] _samples = [];

        public float[] Rent(int length)
        {
            if (_samples.Length < length)
                _samples = GC.AllocateUninitializedArray<float>(length);
            return _samples;
        }
    }

    /// <summary>Sessions of one model, made when first needed and kept for the next chunk.</summary>
    private sealed class SessionPool(WhisperModel model) : IDisposable
    {
        private readonly List<WhisperSession> _sessions = [];

        public WhisperSession this[int index]
        {
            get
            {
                while (_sessions.Count <= index)
                    _sessions.Add(model.CreateSession());
                return _sessions[index];
            }
        }

        public void Dispose()
        {
            foreach (var session in _sessions)
                session.Dispose();
        }
    }

    /// <summary>
    /// Progress through a chunk as the sum of its parts' progress, weighted by their length; reported only when it
    /// grows, so it stays monotonic whichever part moves.
    /// </summary>
    private sealed class PartProgress(IReadOnlyList<DecodePart> parts, Action<double> report)
    {
        private readonly long _totalLength = parts.Sum(p => (long)p.Length);
        private readonly int[] _percent = new int[parts.Count];
        private readonly Lock _lock = new();
        private double _reported = -1;

        public IProgress<int> For(int index) =>
            new SynchronousProgress<int>(percent =>
            {
                lock (_lock)
                {
                    _percent[index] = Math.Max(_percent[index], percent);
                    double done = 0;
                    for (var i = 0; i < parts.Count; i++)
                        done += parts[i].Length * (_percent[i] / 100.0);
                    done = _totalLength <= 0 ? 1 : Math.Min(1, done / _totalLength);
                    if (done <= _reported)
                        return;
                    _reported = done;
                    report(done);
                }
            });
    }
}
