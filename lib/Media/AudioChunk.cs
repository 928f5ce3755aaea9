using System.Numerics;
using System.Runtime.InteropServices;

namespace Cast2md.Media;

/// <summary>
/// A run of decoded 16 kHz mono samples. <see cref="StartSample"/> counts from the start of the file, so
/// chunk i+1 starts exactly where chunk i ended.
/// </summary>
/// <param name="Index">0-based position of the chunk in the stream.</param>
/// <param name="StartSample">Offset of the first sample from the start of the audio.</param>
/// <param name="Samples">The samples; when streamed by <see cref="AudioDecoder"/>, valid only until the next chunk is requested.</param>
/// <param name="IsLast">Whether no chunk follows.</param>
public sealed record AudioChunk(int Index, long StartSample, ReadOnlyMemory<float> Samples, bool IsLast)
{
    /// <summary>Peak below which a chunk counts as silent: -50 dBFS (10^(-50/20) ≈ 0.00316 of full scale).</summary>
    public const float SilenceThreshold = 0.0031622776f;

    /// <summary>Start of the chunk in milliseconds from the start of the audio (truncated).</summary>
    public long StartMs => StartSample * 1000 / AudioDecoder.SampleRate;

    /// <summary>End of the chunk (exclusive) in milliseconds from the start of the audio (truncated).</summary>
    public long EndMs => (StartSample + Samples.Length) * 1000 / AudioDecoder.SampleRate;

    /// <summary>Length of the chunk.</summary>
    public TimeSpan Duration => TimeSpan.FromTicks(Samples.Length * (TimeSpan.TicksPerSecond / AudioDecoder.SampleRate));

    /// <summary>Largest absolute sample value; computed from <see cref="Samples"/> unless set.</summary>
    public float PeakAmplitude { get; init; } = Peak(Samples.Span);

    /// <summary>Whether the peak is below <see cref="SilenceThreshold"/>; callers skip whisper on silent chunks (it hallucinates on silence).</summary>
    public bool IsSilent => PeakAmplitude < SilenceThreshold;

    internal static float Peak(ReadOnlySpan<float> samples)
    {
        var peak = 0f;
        var i = 0;
        if (Vector.IsHardwareAccelerated && samples.Length >= Vector<float>.Count * 2)
        {
            var max = Vector<float>.Zero;
            var vectors = MemoryMarshal.Cast<float, Vector<float>>(samples);
            foreach (var v in vectors)
                max = Vector.Max(max, Vector.Abs(v));
            for (var j = 0; j < Vector<float>.Count; j++)
                peak = MathF.Max(peak, max[j]);
            i = vectors.Length * Vector<float>.Count;
        }

        for (; i < samples.Length; i++)
            peak = MathF.Max(peak, MathF.Abs(samples[i]));
        return peak;
    }
}
