using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Cast2md.Media;

/// <summary>Reads little-endian 32-bit float samples from a byte stream (ffmpeg's <c>-f f32le</c> output).</summary>
internal sealed class PcmReader(Stream source)
{
    private readonly byte[] _bytes = new byte[64 * 1024];
    private int _carry; // bytes of an incomplete sample left from the previous read

    /// <summary>Bytes at the end of the stream that did not make a whole sample.</summary>
    public int TrailingBytes { get; private set; }

    /// <summary>Reads up to <paramref name="destination"/>.Length samples; 0 means the end of the stream.</summary>
    public async ValueTask<int> ReadAsync(Memory<float> destination, CancellationToken cancellationToken)
    {
        if (destination.IsEmpty)
            return 0;

        while (true)
        {
            var want = Math.Min(_bytes.Length, destination.Length * sizeof(float));
            var read = await source.ReadAsync(_bytes.AsMemory(_carry, want - _carry), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                TrailingBytes = _carry;
                return 0;
            }

            var available = _carry + read;
            var samples = available / sizeof(float);
            if (samples == 0)
            {
                _carry = available;
                continue;
            }

            Convert(_bytes.AsSpan(0, samples * sizeof(float)), destination.Span);
            _carry = available - samples * sizeof(float);
            _bytes.AsSpan(samples * sizeof(float), _carry).CopyTo(_bytes);
            return samples;
        }
    }

    private static void Convert(ReadOnlySpan<byte> bytes, Span<float> destination)
    {
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.Cast<byte, float>(bytes).CopyTo(destination);
            return;
        }

        for (var i = 0; i < bytes.Length / sizeof(float); i++)
            destination[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..]);
    }
}
