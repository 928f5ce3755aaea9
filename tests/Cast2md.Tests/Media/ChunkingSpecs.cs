using Cast2md.Media;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.Media;

public class ChunkingSpecs
{
    // 1.4 s of tone, then 0.6 s of digital silence, repeated.
    private const string ToneBursts = "aevalsrc=if(lt(mod(t\\,2)\\,1.4)\\,0.5*sin(2*PI*440*t)\\,0):s=16000:d=12";

    [Fact(Timeout = 60000)]
    public async Task I_can_decode_in_chunks_that_are_cut_in_silence_and_add_up_to_the_whole_file()
    {
        // Arrange
        using var dir = TempDir.Create();
        var path = await TestAudio.GenerateAsync(dir, "bursts.wav", "-f", "lavfi", "-i", ToneBursts, "-c:a", "pcm_s16le");
        var decoder = TestAudio.RealDecoder();
        var chunking = new ChunkingOptions { ChunkLength = TimeSpan.FromSeconds(3), SilenceSearchWindow = TimeSpan.FromSeconds(1.5) };

        // Act
        var whole = (await decoder.DecodeAllAsync(path, new ChunkingOptions())).Concat();
        var chunks = await decoder.DecodeAllAsync(path, chunking);

        // Assert: same samples, no overlap, no gap
        Assert.Equal(whole, chunks.Concat());
        Assert.True(chunks.Count >= 5, $"expected at least 5 chunks, got {chunks.Count}");
        long expectedStart = 0;
        for (var i = 0; i < chunks.Count; i++)
        {
            var (chunk, samples) = chunks[i];
            Assert.Equal(i, chunk.Index);
            Assert.Equal(expectedStart, chunk.StartSample);
            Assert.Equal(expectedStart * 1000 / 16000, chunk.StartMs);
            Assert.Equal(i == chunks.Count - 1, chunk.IsLast);
            Assert.InRange(samples.Length, 1, 3 * 16000);
            expectedStart += samples.Length;
        }

        // Every cut lies inside a silent gap: 40 ms either side of it is silence in the whole decode.
        foreach (var (chunk, samples) in chunks.SkipLast(1))
        {
            var cut = (int)(chunk.StartSample + samples.Length);
            Assert.InRange(samples.Length, (3 - 1.5) * 16000, 3 * 16000);
            Assert.All(whole[(cut - 640)..(cut + 640)], s => Assert.True(Math.Abs(s) < 1e-3f, $"cut at {cut / 16000.0:0.000} s is not in silence"));
        }
    }

    [Fact(Timeout = 120000)]
    public async Task I_can_decode_a_long_file_without_any_chunk_exceeding_the_chunk_length()
    {
        // Arrange: 6 minutes at 22.05 kHz, chunks of at most 60 s
        using var dir = TempDir.Create();
        var path = await TestAudio.GenerateAsync(
            dir,
            "long.wav",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=300:sample_rate=22050:duration=360",
            "-af",
            "volume=0.3",
            "-c:a",
            "pcm_s16le"
        );
        var decoder = TestAudio.RealDecoder();
        var chunking = new ChunkingOptions { ChunkLength = TimeSpan.FromSeconds(60), SilenceSearchWindow = TimeSpan.FromSeconds(10) };

        // Act
        var lengths = new List<(long Start, int Length, bool IsLast)>();
        await foreach (var chunk in decoder.DecodeChunksAsync(path, chunking))
            lengths.Add((chunk.StartSample, chunk.Samples.Length, chunk.IsLast));

        // Assert
        Assert.InRange(lengths.Count, 6, 8);
        Assert.All(lengths, l => Assert.True(l.Length <= 60 * 16000, $"chunk of {l.Length} samples is longer than 60 s"));
        Assert.All(lengths.SkipLast(1), l => Assert.True(l.Length >= 50 * 16000, $"chunk of {l.Length} samples was cut before the search window"));
        Assert.Equal(lengths.Skip(1).Select(l => l.Start), lengths.SkipLast(1).Select(l => l.Start + l.Length));
        Assert.InRange(lengths.Sum(l => (long)l.Length), 359 * 16000, 361 * 16000);
        Assert.Equal([false, false, false, false, false, true], lengths.Select(l => l.IsLast).TakeLast(6));
    }

    [Fact]
    public void I_can_chunk_samples_holding_at_most_the_chunk_length_plus_the_search_window()
    {
        // Arrange: 25 s of noise with quiet 100 ms dips every second, chunks of 10 s with a 4 s window
        var chunker = new PcmChunker(chunkSamples: 10 * 16000, windowSamples: 4 * 16000);
        var random = new Random(42);
        var signal = new float[25 * 16000];
        for (var i = 0; i < signal.Length; i++)
            signal[i] = i % 16000 is >= 8000 and < 9600 ? 0.001f * (float)(random.NextDouble() - 0.5) : (float)(random.NextDouble() - 0.5);
        var chunks = new List<(long Start, float[] Samples, bool IsLast)>();
        var fed = 0;

        // Act: feed in odd-sized pieces
        while (true)
        {
            var endOfStream = fed == signal.Length;
            if (chunker.IsFull || endOfStream)
            {
                var chunk = chunker.TryCut(endOfStream);
                Assert.NotNull(chunk);
                chunks.Add((chunk.StartSample, chunk.Samples.ToArray(), chunk.IsLast));
                if (chunk.IsLast)
                    break;
                continue;
            }

            var space = chunker.GetFreeSpace(7777);
            var n = Math.Min(space.Length, signal.Length - fed);
            signal.AsSpan(fed, n).CopyTo(space.Span);
            chunker.Advance(n);
            fed += n;
            Assert.InRange(chunker.AllocatedSamples, 0, chunker.Capacity);
        }

        // Assert
        Assert.Equal(14 * 16000, chunker.Capacity);
        Assert.Equal(signal, chunks.SelectMany(c => c.Samples));
        Assert.All(chunks.SkipLast(1), c =>
        {
            var cutInSecond = (c.Start + c.Samples.Length) % 16000;
            Assert.InRange(cutInSecond, 8000, 9600); // inside a quiet dip
            Assert.InRange(c.Samples.Length, 6 * 16000, 10 * 16000);
        });
    }

    [Theory]
    [InlineData(16000, 1)]
    [InlineData(32000, 2)]
    [InlineData(32001, 3)]
    [InlineData(1, 1)]
    [InlineData(0, 1)]
    public void I_can_chunk_a_stream_whose_length_is_a_multiple_of_the_chunk_length_without_an_empty_last_chunk(int samples, int expectedChunks)
    {
        // Arrange: 1 s chunks, no search window
        var chunker = new PcmChunker(chunkSamples: 16000, windowSamples: 0);
        var lengths = new List<int>();
        var fed = 0;

        // Act
        while (true)
        {
            var endOfStream = fed == samples;
            if (chunker.IsFull || endOfStream)
            {
                var chunk = chunker.TryCut(endOfStream)!;
                lengths.Add(chunk.Samples.Length);
                if (chunk.IsLast)
                    break;
                continue;
            }

            var n = Math.Min(chunker.GetFreeSpace(5000).Length, samples - fed);
            chunker.Advance(n);
            fed += n;
        }

        // Assert
        Assert.Equal(expectedChunks, lengths.Count);
        Assert.Equal(samples, lengths.Sum());
        Assert.All(lengths.SkipLast(1), l => Assert.Equal(16000, l));
        Assert.True(samples == 0 || lengths[^1] > 0);
    }

    [Fact]
    public void I_can_find_the_quietest_frame_of_a_window_as_the_cut()
    {
        // Arrange: loud everywhere except 200 ms of silence at 1.3 s
        var samples = Enumerable.Repeat(0.5f, 3 * 16000).ToArray();
        Array.Clear(samples, 20800, 3200);

        // Act
        var cut = PcmChunker.FindCut(samples, 16000, 3 * 16000);

        // Assert
        Assert.InRange(cut, 20800 + 800, 20800 + 3200 - 800);
    }

    [Fact]
    public void I_can_not_use_a_chunk_length_below_one_second()
    {
        // Arrange
        var chunking = new ChunkingOptions { ChunkLength = TimeSpan.FromMilliseconds(500) };

        // Act & assert
        Assert.Throws<ArgumentOutOfRangeException>(() => new PcmChunker(chunking.ChunkSamples, chunking.WindowSamples));
    }

    [Fact]
    public void I_can_read_the_chunk_start_in_milliseconds_and_its_silence()
    {
        // Act
        var quiet = new AudioChunk(3, 16000 * 90 + 8, new float[] { 0.001f, -0.003f }, IsLast: false);
        var loud = new AudioChunk(0, 0, new float[] { 0.001f, -0.2f, 0.1f }, IsLast: true);

        // Assert
        Assert.Equal(90_000, quiet.StartMs);
        Assert.Equal(0.003f, quiet.PeakAmplitude);
        Assert.True(quiet.IsSilent);
        Assert.Equal(0.2f, loud.PeakAmplitude);
        Assert.False(loud.IsSilent);
        Assert.False((loud with { PeakAmplitude = 0.5f }).IsSilent);
    }
}
