namespace Cast2md.Media;

/// <summary>
/// Collects samples into a buffer of at most ChunkSamples + WindowSamples (at least + 100 ms) and cuts chunks at the quietest
/// frame of the search window, so memory stays bounded and no chunk is longer than ChunkSamples.
/// A returned chunk's memory stays valid until the next call to <see cref="GetFreeSpace"/> or <see cref="TryCut"/>.
/// </summary>
internal sealed class PcmChunker
{
    /// <summary>Length of an energy frame: 100 ms.</summary>
    internal const int FrameSamples = AudioDecoder.SampleRate / 10;

    private const int InitialCapacity = 1 << 17; // 8 s; grows by doubling for long files

    private readonly int _chunkSamples;
    private readonly int _windowSamples;
    private float[] _buffer;
    private int _count;
    private int _pendingShift;
    private long _bufferStartSample;
    private int _nextIndex;
    private bool _isFinished;

    public PcmChunker(int chunkSamples, int windowSamples)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSamples, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(windowSamples);
        _chunkSamples = chunkSamples;
        _windowSamples = Math.Min(windowSamples, chunkSamples / 2);
        // At least a frame beyond the chunk length, so that a full buffer always proves more audio follows
        // (a chunk of exactly ChunkSamples is then known not to be the last).
        Capacity = _chunkSamples + Math.Max(_windowSamples, FrameSamples);
        _buffer = new float[Math.Min(Capacity, InitialCapacity)];
    }

    /// <summary>The most samples ever held.</summary>
    public int Capacity { get; }

    /// <summary>Samples currently allocated (never above <see cref="Capacity"/>).</summary>
    public int AllocatedSamples => _buffer.Length;

    /// <summary>Whether the buffer holds <see cref="Capacity"/> samples; a chunk must be cut before reading more.</summary>
    public bool IsFull => _count - _pendingShift == Capacity;

    /// <summary>Total samples added so far.</summary>
    public long TotalSamples { get; private set; }

    /// <summary>Room for up to <paramref name="maxSamples"/> new samples; fill it and call <see cref="Advance"/>.</summary>
    public Memory<float> GetFreeSpace(int maxSamples)
    {
        Compact();
        if (_count == _buffer.Length && _buffer.Length < Capacity)
        {
            // Grows by doubling so short files stay small; long files reach Capacity once and keep it.
            var grown = GC.AllocateUninitializedArray<float>((int)Math.Min(Capacity, _buffer.Length * 2L));
            _buffer.AsSpan(0, _count).CopyTo(grown);
            _buffer = grown;
        }

        return _buffer.AsMemory(_count, Math.Min(maxSamples, _buffer.Length - _count));
    }

    /// <summary>Marks <paramref name="samples"/> of the free space as filled.</summary>
    public void Advance(int samples)
    {
        if (samples < 0 || _count + samples > _buffer.Length)
            throw new ArgumentOutOfRangeException(nameof(samples));
        _count += samples;
        TotalSamples += samples;
    }

    /// <summary>
    /// Cuts the next chunk when one is due: when the buffer is full, or at the end of the stream
    /// (then the remainder is the last chunk, empty only if the whole stream was empty).
    /// </summary>
    public AudioChunk? TryCut(bool endOfStream)
    {
        Compact();
        if (_count > _chunkSamples)
        {
            var cut = FindCut(_buffer.AsSpan(0, _count), _chunkSamples - _windowSamples, _chunkSamples);
            _pendingShift = cut;
            return new AudioChunk(_nextIndex++, _bufferStartSample, _buffer.AsMemory(0, cut), IsLast: false);
        }

        if (!endOfStream || _isFinished)
            return null;

        var last = new AudioChunk(_nextIndex, _bufferStartSample, _buffer.AsMemory(0, _count), IsLast: true);
        _isFinished = true;
        _pendingShift = _count;
        return last;
    }

    /// <summary>
    /// The cut position in [windowStart, windowEnd]: the centre of the lowest-energy 100 ms frame
    /// (frames step by 50 ms from the end of the window; ties go to the later frame).
    /// </summary>
    internal static int FindCut(ReadOnlySpan<float> samples, int windowStart, int windowEnd)
    {
        if (windowEnd - windowStart < FrameSamples)
            return windowEnd;

        var best = windowEnd;
        var bestEnergy = double.PositiveInfinity;
        for (var start = windowEnd - FrameSamples; start >= windowStart; start -= FrameSamples / 2)
        {
            var energy = 0.0;
            foreach (var s in samples.Slice(start, FrameSamples))
                energy += s * s;
            if (energy < bestEnergy)
            {
                bestEnergy = energy;
                best = start + FrameSamples / 2;
            }
        }

        return best;
    }

    private void Compact()
    {
        if (_pendingShift == 0)
            return;
        var rest = _count - _pendingShift;
        _buffer.AsSpan(_pendingShift, rest).CopyTo(_buffer);
        _bufferStartSample += _pendingShift;
        _count = rest;
        _pendingShift = 0;
    }
}
