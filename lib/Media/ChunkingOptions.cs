namespace Cast2md.Media;

/// <summary>How decoded audio is cut into chunks so that memory stays bounded on long files.</summary>
public sealed record ChunkingOptions
{
    /// <summary>The longest chunk; no chunk holds more audio than this.</summary>
    public TimeSpan ChunkLength { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// The cut is placed at the quietest ~100 ms frame in the last window of this length before
    /// <see cref="ChunkLength"/>. Clamped to at most half of <see cref="ChunkLength"/>.
    /// </summary>
    public TimeSpan SilenceSearchWindow { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The shortest <see cref="ChunkLength"/> accepted.</summary>
    public static TimeSpan MinimumChunkLength { get; } = TimeSpan.FromSeconds(1);

    /// <summary>Chunk length in samples at <see cref="AudioDecoder.SampleRate"/>.</summary>
    internal int ChunkSamples
    {
        get
        {
            if (ChunkLength < MinimumChunkLength)
                throw new ArgumentOutOfRangeException(
                    nameof(ChunkLength),
                    ChunkLength,
                    $"A chunk must be at least {MinimumChunkLength.TotalSeconds:0} s long."
                );

            // int.MaxValue samples is over 37 hours; a chunk that long is "no chunking".
            var samples = ChunkLength.Ticks / (TimeSpan.TicksPerSecond / AudioDecoder.SampleRate);
            return (int)Math.Min(samples, int.MaxValue / 2);
        }
    }

    /// <summary>Search window in samples, clamped to [0, ChunkSamples / 2].</summary>
    internal int WindowSamples
    {
        get
        {
            if (SilenceSearchWindow < TimeSpan.Zero)
                throw new ArgumentOutOfRangeException(
                    nameof(SilenceSearchWindow),
                    SilenceSearchWindow,
                    "The silence search window cannot be negative."
                );

            var samples = SilenceSearchWindow.Ticks / (TimeSpan.TicksPerSecond / AudioDecoder.SampleRate);
            return (int)Math.Min(samples, ChunkSamples / 2);
        }
    }
}
