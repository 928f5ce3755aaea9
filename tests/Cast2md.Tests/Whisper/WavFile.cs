using System.Buffers.Binary;
using System.Text;

namespace Cast2md.Tests.Whisper;

/// <summary>Test-only RIFF reader for 16 kHz mono s16 WAV files (the production path decodes with ffmpeg).</summary>
internal static class WavFile
{
    public static float[] Read16kMono(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 12 || Encoding.ASCII.GetString(bytes, 0, 4) != "RIFF" || Encoding.ASCII.GetString(bytes, 8, 4) != "WAVE")
            throw new InvalidDataException($"{path} is not a RIFF/WAVE file.");

        var offset = 12;
        var formatChecked = false;
        while (offset + 8 <= bytes.Length)
        {
            var id = Encoding.ASCII.GetString(bytes, offset, 4);
            var size = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset + 4));
            var body = bytes.AsSpan(offset + 8, Math.Min(size, bytes.Length - offset - 8));
            if (id == "fmt ")
            {
                var format = BinaryPrimitives.ReadInt16LittleEndian(body);
                var channels = BinaryPrimitives.ReadInt16LittleEndian(body[2..]);
                var rate = BinaryPrimitives.ReadInt32LittleEndian(body[4..]);
                var bits = BinaryPrimitives.ReadInt16LittleEndian(body[14..]);
                if (format != 1 || channels != 1 || rate != 16000 || bits != 16)
                    throw new InvalidDataException(
                        $"{path}: expected PCM s16 mono 16 kHz, got format {format}, {channels} ch, {rate} Hz, {bits} bit."
                    );
                formatChecked = true;
            }
            else if (id == "data")
            {
                if (!formatChecked)
                    throw new InvalidDataException($"{path}: data chunk before fmt chunk.");
                var samples = new float[body.Length / 2];
                for (var i = 0; i < samples.Length; i++)
                    samples[i] = BinaryPrimitives.ReadInt16LittleEndian(body[(2 * i)..]) / 32768f;
                return samples;
            }
            offset += 8 + size + (size & 1);
        }
        throw new InvalidDataException($"{path}: no data chunk.");
    }

    /// <summary>Deterministic white noise at a low level, for long inputs where the text does not matter.</summary>
    public static float[] Noise(TimeSpan duration, int seed = 42)
    {
        var random = new Random(seed);
        var samples = new float[(int)(duration.TotalSeconds * 16000)];
        for (var i = 0; i < samples.Length; i++)
            samples[i] = (float)(random.NextDouble() * 2 - 1) * 0.1f;
        return samples;
    }
}
