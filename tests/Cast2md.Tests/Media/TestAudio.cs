using Cast2md.Media;
using Cast2md.Tests.Infra;
using CliWrap;
using CliWrap.Buffered;
using Xunit;

namespace Cast2md.Tests.Media;

/// <summary>Generates test inputs with the real ffmpeg, and collects decoded chunks.</summary>
internal static class TestAudio
{
    /// <summary>Runs <c>ffmpeg -y ARGS OUTPUT</c> and returns the output path inside <paramref name="dir"/>.</summary>
    public static async Task<string> GenerateAsync(TempDir dir, string fileName, params string[] arguments)
    {
        var output = dir.Combine(fileName);
        var result = await Cli.Wrap("ffmpeg")
            .WithArguments(["-nostdin", "-hide_banner", "-loglevel", "error", "-y", .. arguments, output])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        Assert.True(result.ExitCode == 0, $"ffmpeg could not generate {fileName}: {result.StandardError}");
        return output;
    }

    /// <summary>
    /// JFK's 11 s, 3 s of silence, again, silence, again (39 s, 16 kHz mono): the long episode of the span specs, each
    /// passage one span once it is split at its silences.
    /// </summary>
    public static Task<string> JfkThreeTimesAsync(TempDir dir) =>
        GenerateAsync(
            dir,
            "jfk-three-times.wav",
            [
                "-i",
                Paths.JfkWav,
                "-f",
                "lavfi",
                "-t",
                "3",
                "-i",
                "anullsrc=r=16000:cl=mono",
                "-filter_complex",
                "[0][1][0][1][0]concat=n=5:v=0:a=1",
                "-ar",
                "16000",
                "-ac",
                "1",
            ]
        );

    /// <summary>A tone of <paramref name="seconds"/> at half of full scale, 16 kHz mono WAV unless arguments say otherwise.</summary>
    public static Task<string> ToneAsync(TempDir dir, string fileName, double seconds, params string[] outputArguments) =>
        GenerateAsync(
            dir,
            fileName,
            ["-f", "lavfi", "-i", FormattableString.Invariant($"aevalsrc=0.5*sin(2*PI*440*t):s=16000:d={seconds}"), .. outputArguments]
        );

    /// <summary>A file whose lines tell the Dummy ffmpeg how to behave.</summary>
    public static string DummyInput(TempDir dir, params string[] settings)
    {
        var path = dir.Combine($"dummy-{Guid.NewGuid():N}.mp3");
        File.WriteAllLines(path, settings);
        return path;
    }

    public static AudioDecoder RealDecoder() => new(new FfmpegOptions());

    public static AudioDecoder DummyDecoder() => new(new FfmpegOptions { FfmpegPath = Paths.Dummy, FfprobePath = Paths.Dummy });

    /// <summary>Copies each chunk (its memory is reused) and returns them with their samples.</summary>
    public static async Task<List<(AudioChunk Chunk, float[] Samples)>> DecodeAllAsync(
        this AudioDecoder decoder,
        string path,
        ChunkingOptions? chunking = null,
        Action<string>? onWarning = null,
        CancellationToken cancellationToken = default
    )
    {
        var chunks = new List<(AudioChunk, float[])>();
        await foreach (var chunk in decoder.DecodeChunksAsync(path, chunking ?? new ChunkingOptions(), onWarning, cancellationToken))
            chunks.Add((chunk, chunk.Samples.ToArray()));
        return chunks;
    }

    public static float[] Concat(this IEnumerable<(AudioChunk Chunk, float[] Samples)> chunks) => [.. chunks.SelectMany(c => c.Samples)];

    public static double Seconds(this float[] samples) => samples.Length / (double)AudioDecoder.SampleRate;
}
