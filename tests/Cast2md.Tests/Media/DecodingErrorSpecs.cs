using System.Diagnostics;
using Cast2md.Errors;
using Cast2md.Media;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.Media;

public class DecodingErrorSpecs
{
    [Fact(Timeout = 15000)]
    public async Task I_can_try_to_decode_a_file_that_does_not_exist_and_get_an_error_naming_it()
    {
        // Arrange
        using var dir = TempDir.Create();
        var path = dir.Combine("missing-episode.mp3");
        var decoder = TestAudio.RealDecoder();

        // Act
        var ex = await Assert.ThrowsAsync<AudioDecodeException>(() => decoder.DecodeAllAsync(path));

        // Assert
        Assert.Contains("missing-episode.mp3", ex.Message);
        Assert.Contains("does not exist", ex.Message);
        Assert.Equal(path, ex.FilePath);
        Assert.IsAssignableFrom<Cast2mdException>(ex);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_try_to_decode_a_text_file_named_mp3_and_get_an_error_saying_it_is_not_audio()
    {
        // Arrange
        using var dir = TempDir.Create();
        var path = dir.Combine("notes.mp3");
        await File.WriteAllTextAsync(path, "Shopping list: milk, eggs, a better microphone.\n");
        var decoder = TestAudio.RealDecoder();

        // Act
        var ex = await Assert.ThrowsAsync<AudioDecodeException>(() => decoder.DecodeAllAsync(path));

        // Assert
        Assert.Contains("notes.mp3", ex.Message);
        Assert.Contains("not an audio", ex.Message);
        Assert.Contains("(ffmpeg:", ex.Message);
        Assert.NotNull(ex.StandardErrorTail);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_try_to_decode_an_empty_file_and_get_an_error()
    {
        // Arrange
        using var dir = TempDir.Create();
        var path = dir.Combine("zero.m4a");
        await File.WriteAllBytesAsync(path, []);
        var decoder = TestAudio.RealDecoder();

        // Act
        var ex = await Assert.ThrowsAsync<AudioDecodeException>(() => decoder.DecodeAllAsync(path));

        // Assert
        Assert.Contains("0 bytes", ex.Message);
    }

    [Fact(Timeout = 30000)]
    public async Task I_can_try_to_decode_a_video_without_audio_and_get_an_error_saying_so()
    {
        // Arrange
        using var dir = TempDir.Create();
        var path = await TestAudio.GenerateAsync(
            dir,
            "silent-film.mp4",
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=160x120:rate=10:duration=1",
            "-c:v",
            "mpeg4"
        );
        var decoder = TestAudio.RealDecoder();

        // Act
        var ex = await Assert.ThrowsAsync<AudioDecodeException>(() => decoder.DecodeAllAsync(path));

        // Assert
        Assert.Contains("no audio stream", ex.Message);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_try_to_decode_without_ffmpeg_installed_and_get_an_error_explaining_how_to_install_it()
    {
        // Arrange
        using var dir = TempDir.Create();
        var missing = dir.Combine("bin", "ffmpeg");
        var decoder = new AudioDecoder(new FfmpegOptions { FfmpegPath = missing });

        // Act
        var ex = await Assert.ThrowsAsync<ExternalToolException>(() => decoder.DecodeAllAsync(Paths.JfkWav));

        // Assert
        Assert.Equal("ffmpeg", ex.Tool);
        Assert.Equal(
            $"ffmpeg was not found (looked for '{missing}'); install it (Debian/Ubuntu: apt install ffmpeg, macOS: brew install ffmpeg) or set CAST2MD_FFMPEG",
            ex.Message
        );
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_try_to_decode_when_ffmpeg_fails_and_get_its_exit_code_and_last_stderr_line()
    {
        // Arrange
        using var dir = TempDir.Create();
        var input = TestAudio.DummyInput(dir, "mode=fail", "exit=3", "message=dummy: the codec exploded");
        var decoder = TestAudio.DummyDecoder();

        // Act
        var ex = await Assert.ThrowsAsync<ExternalToolException>(() => decoder.DecodeAllAsync(input));

        // Assert
        Assert.Equal(3, ex.ExitCode);
        Assert.Contains("exit code 3", ex.Message);
        Assert.Contains("dummy: the codec exploded", ex.Message);
        Assert.Contains("dummy: the codec exploded", ex.StandardErrorTail);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_decode_a_file_that_fails_part_way_and_get_the_decoded_audio_and_a_warning()
    {
        // Arrange
        using var dir = TempDir.Create();
        var input = TestAudio.DummyInput(dir, "mode=partial", "seconds=2.5");
        var decoder = TestAudio.DummyDecoder();
        var warnings = new List<string>();

        // Act
        var chunks = await decoder.DecodeAllAsync(input, onWarning: warnings.Add);

        // Assert
        Assert.Equal(40_000, chunks.Concat().Length);
        Assert.True(chunks[^1].Chunk.IsLast);
        var warning = Assert.Single(warnings);
        Assert.Contains("could only be decoded in part", warning);
        Assert.Contains("Invalid data found", warning);
        Assert.DoesNotContain('\n', warning);
    }

    [Fact(Timeout = 30000)]
    public async Task I_can_decode_a_truncated_mp3_and_get_the_audio_that_survived()
    {
        // Arrange
        using var dir = TempDir.Create();
        var path = dir.Combine("truncated.mp3");
        var bytes = await File.ReadAllBytesAsync(Paths.JfkMp3);
        await File.WriteAllBytesAsync(path, bytes[..(bytes.Length / 2 + 37)]);
        var decoder = TestAudio.RealDecoder();
        var warnings = new List<string>();

        // Act
        var samples = (await decoder.DecodeAllAsync(path, onWarning: warnings.Add)).Concat();

        // Assert
        Assert.InRange(samples.Seconds(), 3, 9);
        Assert.All(warnings, w => Assert.Contains("truncated.mp3", w));
    }

    [Fact(Timeout = 30000)]
    public async Task I_can_decode_a_silent_file_and_get_silent_chunks()
    {
        // Arrange: digital silence, and a tone at -60 dBFS which is below the threshold too
        using var dir = TempDir.Create();
        var silence = await TestAudio.GenerateAsync(dir, "silence.flac", "-f", "lavfi", "-i", "anullsrc=r=44100:cl=stereo", "-t", "5");
        var hum = await TestAudio.GenerateAsync(
            dir,
            "hum.wav",
            "-f",
            "lavfi",
            "-i",
            "aevalsrc=0.001*sin(2*PI*50*t):s=16000:d=3",
            "-c:a",
            "pcm_f32le"
        );
        var decoder = TestAudio.RealDecoder();
        var chunking = new ChunkingOptions { ChunkLength = TimeSpan.FromSeconds(2), SilenceSearchWindow = TimeSpan.FromSeconds(0.5) };

        // Act
        var silentChunks = await decoder.DecodeAllAsync(silence, chunking);
        var humChunks = await decoder.DecodeAllAsync(hum, chunking);

        // Assert
        Assert.InRange(silentChunks.Concat().Seconds(), 4.99, 5.01);
        Assert.All(silentChunks, c => Assert.True(c.Chunk.IsSilent));
        Assert.All(silentChunks, c => Assert.Equal(0f, c.Chunk.PeakAmplitude));
        Assert.All(humChunks, c => Assert.True(c.Chunk.IsSilent, $"peak {c.Chunk.PeakAmplitude}"));
        Assert.All(humChunks, c => Assert.True(c.Chunk.PeakAmplitude > 0.0005f));
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_decode_an_audio_file_with_no_samples_and_get_one_empty_silent_last_chunk()
    {
        // Arrange
        using var dir = TempDir.Create();
        var path = await TestAudio.GenerateAsync(dir, "empty.wav", "-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-t", "0");
        var decoder = TestAudio.RealDecoder();
        var warnings = new List<string>();

        // Act
        var chunks = await decoder.DecodeAllAsync(path, onWarning: warnings.Add);

        // Assert
        var chunk = Assert.Single(chunks).Chunk;
        Assert.Equal(0, chunk.Index);
        Assert.Equal(0, chunk.StartSample);
        Assert.True(chunk.Samples.IsEmpty);
        Assert.True(chunk.IsSilent);
        Assert.True(chunk.IsLast);
        Assert.Empty(warnings);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_cancel_decoding_and_the_ffmpeg_process_stops()
    {
        // Arrange
        using var dir = TempDir.Create();
        var pidFile = dir.Combine("pid");
        var input = TestAudio.DummyInput(dir, "mode=slow", $"pidfile={pidFile}");
        var decoder = TestAudio.DummyDecoder();
        var chunking = new ChunkingOptions { ChunkLength = TimeSpan.FromSeconds(1), SilenceSearchWindow = TimeSpan.Zero };
        using var cts = new CancellationTokenSource();
        var chunks = 0;

        // Act
        var stopwatch = new Stopwatch();
        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in decoder.DecodeChunksAsync(input, chunking, cancellationToken: cts.Token))
            {
                chunks++;
                stopwatch.Start();
                await cts.CancelAsync();
            }
        });

        // Assert
        Assert.Equal(1, chunks);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"cancellation took {stopwatch.Elapsed}");
        AssertExited(int.Parse(await File.ReadAllTextAsync(pidFile)));
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_cancel_decoding_while_it_waits_for_ffmpeg_and_the_ffmpeg_process_stops()
    {
        // Arrange: chunks of a minute, so the decoder is still reading when cancelled
        using var dir = TempDir.Create();
        var pidFile = dir.Combine("pid");
        var input = TestAudio.DummyInput(dir, "mode=slow", $"pidfile={pidFile}");
        var decoder = TestAudio.DummyDecoder();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        // Act
        var stopwatch = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            decoder.DecodeAllAsync(input, new ChunkingOptions { ChunkLength = TimeSpan.FromMinutes(1) }, cancellationToken: cts.Token)
        );

        // Assert
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"cancellation took {stopwatch.Elapsed}");
        AssertExited(int.Parse(await File.ReadAllTextAsync(pidFile)));
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_try_to_decode_with_an_ffmpeg_path_that_is_not_executable_and_get_an_error()
    {
        // Arrange
        using var dir = TempDir.Create();
        var notExecutable = dir.Combine("ffmpeg");
        await File.WriteAllTextAsync(notExecutable, "not a program");
        var decoder = new AudioDecoder(new FfmpegOptions { FfmpegPath = notExecutable });

        // Act
        var ex = await Assert.ThrowsAsync<ExternalToolException>(() => decoder.DecodeAllAsync(Paths.JfkWav));

        // Assert
        Assert.Equal("ffmpeg", ex.Tool);
        Assert.Contains("could not be started", ex.Message);
        Assert.Contains("CAST2MD_FFMPEG", ex.Message);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_stop_reading_chunks_early_and_the_ffmpeg_process_is_killed()
    {
        // Arrange
        using var dir = TempDir.Create();
        var pidFile = dir.Combine("pid");
        var input = TestAudio.DummyInput(dir, "mode=slow", $"pidfile={pidFile}");
        var decoder = TestAudio.DummyDecoder();
        var chunking = new ChunkingOptions { ChunkLength = TimeSpan.FromSeconds(1), SilenceSearchWindow = TimeSpan.Zero };

        // Act
        await foreach (var chunk in decoder.DecodeChunksAsync(input, chunking))
        {
            Assert.Equal(16000, chunk.Samples.Length);
            break;
        }

        // Assert
        AssertExited(int.Parse(await File.ReadAllTextAsync(pidFile)));
    }

    private static void AssertExited(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            Assert.True(process.HasExited, $"process {processId} is still running");
        }
        catch (ArgumentException)
        {
            // No such process any more.
        }
    }
}
