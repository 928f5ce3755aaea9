using Cast2md.Media;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.Media;

public class AudioDecodingSpecs
{
    [Fact(Timeout = 30000)]
    public async Task I_can_decode_a_16kHz_mono_wav_file_exactly()
    {
        // Arrange
        var decoder = TestAudio.RealDecoder();

        // Act
        var chunks = await decoder.DecodeAllAsync(Paths.JfkWav);

        // Assert
        var chunk = Assert.Single(chunks).Chunk;
        Assert.Equal(0, chunk.Index);
        Assert.Equal(0, chunk.StartSample);
        Assert.True(chunk.IsLast);
        Assert.Equal(176_000, chunk.Samples.Length); // 11.0 s at 16 kHz
        Assert.False(chunk.IsSilent);
        Assert.InRange(chunk.PeakAmplitude, 0.1f, 1f);
    }

    [Fact(Timeout = 30000)]
    public async Task I_can_decode_an_mp3_file()
    {
        // Arrange
        var decoder = TestAudio.RealDecoder();

        // Act
        var samples = (await decoder.DecodeAllAsync(Paths.JfkMp3)).Concat();

        // Assert
        Assert.InRange(samples.Seconds(), 10.9, 11.2);
        Assert.Contains(samples, s => Math.Abs(s) > 0.1f);
    }

    [Theory(Timeout = 60000)]
    [InlineData("tone.ogg", new[] { "-c:a", "libopus" })]
    [InlineData("tone.oga", new[] { "-c:a", "libvorbis" })]
    [InlineData("tone.flac", new string[0])]
    [InlineData("tone.m4a", new[] { "-c:a", "aac" })]
    [InlineData("tone.mp3", new[] { "-c:a", "libmp3lame" })]
    [InlineData("tone-stereo-44k.wav", new[] { "-ac", "2", "-ar", "44100" })]
    public async Task I_can_decode_common_audio_formats_to_16kHz_mono(string fileName, string[] outputArguments)
    {
        // Arrange
        using var dir = TempDir.Create();
        var path = await TestAudio.ToneAsync(dir, fileName, 3, outputArguments);
        var decoder = TestAudio.RealDecoder();

        // Act
        var chunks = await decoder.DecodeAllAsync(path);

        // Assert
        var samples = chunks.Concat();
        Assert.InRange(samples.Seconds(), 2.95, 3.1);
        Assert.InRange(chunks.Max(c => c.Chunk.PeakAmplitude), 0.4f, 0.6f);
        Assert.All(chunks, c => Assert.False(c.Chunk.IsSilent));
    }

    [Fact(Timeout = 60000)]
    public async Task I_can_decode_a_stereo_44kHz_file_to_16kHz_mono()
    {
        // Arrange: a tone on the left channel, a louder one on the right, at 44.1 kHz
        using var dir = TempDir.Create();
        var path = await TestAudio.GenerateAsync(
            dir,
            "stereo.wav",
            "-f",
            "lavfi",
            "-i",
            "aevalsrc=0.2*sin(2*PI*440*t)|0.6*sin(2*PI*440*t):s=44100:d=2",
            "-c:a",
            "pcm_s16le"
        );
        var decoder = TestAudio.RealDecoder();

        // Act
        var samples = (await decoder.DecodeAllAsync(path)).Concat();

        // Assert: 2 s at 16 kHz; ffmpeg's downmix adds the channels at -3 dB each ((0.2 + 0.6) / √2 ≈ 0.566)
        Assert.InRange(samples.Length, 31_900, 32_100);
        Assert.InRange(samples.Max(), 0.54f, 0.59f);
    }

    [Fact(Timeout = 60000)]
    public async Task I_can_decode_the_audio_track_of_a_video_file()
    {
        // Arrange
        using var dir = TempDir.Create();
        var path = await TestAudio.GenerateAsync(
            dir,
            "video.mp4",
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=160x120:rate=10:duration=2",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:sample_rate=48000:duration=2",
            "-c:v",
            "mpeg4",
            "-c:a",
            "aac",
            "-shortest"
        );
        var decoder = TestAudio.RealDecoder();

        // Act
        var samples = (await decoder.DecodeAllAsync(path)).Concat();

        // Assert
        Assert.InRange(samples.Seconds(), 1.9, 2.1);
        Assert.Contains(samples, s => Math.Abs(s) > 0.05f);
    }

    [Fact(Timeout = 30000)]
    public async Task I_can_probe_the_duration_of_a_file()
    {
        // Arrange
        var decoder = TestAudio.RealDecoder();

        // Act
        var duration = await decoder.ProbeDurationAsync(Paths.JfkMp3);

        // Assert
        Assert.NotNull(duration);
        Assert.InRange(duration.Value.TotalSeconds, 10.9, 11.2);
    }

    [Fact(Timeout = 30000)]
    public async Task I_can_probe_a_file_without_a_known_duration_and_get_null()
    {
        // Arrange
        using var dir = TempDir.Create();
        var notAudio = dir.Combine("notes.mp3");
        await File.WriteAllTextAsync(notAudio, "This is a text file, not audio.");
        var decoder = TestAudio.RealDecoder();
        var decoderWithoutFfprobe = new AudioDecoder(new FfmpegOptions { FfprobePath = dir.Combine("no-such-ffprobe") });

        // Act
        var ofText = await decoder.ProbeDurationAsync(notAudio);
        var withoutFfprobe = await decoderWithoutFfprobe.ProbeDurationAsync(Paths.JfkWav);

        // Assert
        Assert.Null(ofText);
        Assert.Null(withoutFfprobe);
    }

    [Fact]
    public void I_can_parse_ffprobe_duration_output()
    {
        // Act & assert
        Assert.Equal(TimeSpan.FromSeconds(11.088), AudioDecoder.ParseDuration("11.088000\n"));
        Assert.Null(AudioDecoder.ParseDuration("N/A\n"));
        Assert.Null(AudioDecoder.ParseDuration(""));
        Assert.Null(AudioDecoder.ParseDuration("-1"));
    }

    [Fact]
    public void I_can_override_the_ffmpeg_and_ffprobe_paths_from_the_environment()
    {
        // Act
        var defaults = FfmpegOptions.FromVariables(null, " ");
        var both = FfmpegOptions.FromVariables("/opt/ff/bin/ffmpeg", "/usr/local/bin/ffprobe");
        var onlyFfmpeg = FfmpegOptions.FromVariables("/nonexistent/ffmpeg", null);

        // Assert
        Assert.Equal(new FfmpegOptions(), defaults);
        Assert.Equal("/opt/ff/bin/ffmpeg", both.FfmpegPath);
        Assert.Equal("/usr/local/bin/ffprobe", both.FfprobePath);
        Assert.Equal("/nonexistent/ffmpeg", onlyFfmpeg.FfmpegPath);
        Assert.Equal("ffprobe", onlyFfmpeg.FfprobePath);
    }
}
