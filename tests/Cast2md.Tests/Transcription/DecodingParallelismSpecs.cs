using Cast2md.Media;
using Cast2md.Transcription;
using Xunit;

namespace Cast2md.Tests.Transcription;

/// <summary>How many whisper states a transcription uses, and where a chunk is cut for them.</summary>
public sealed class DecodingParallelismSpecs
{
    private const long GiB = 1L << 30;
    private const int Rate = AudioDecoder.SampleRate;

    [Fact]
    public void Auto_takes_one_state_per_thread_on_a_cpu()
    {
        Assert.Equal(2, DecodingParallelism.Auto.Resolve(threads: 2, modelBytes: 40 << 20, gpu: false, availableBytes: 8 * GiB));
        Assert.Equal(4, DecodingParallelism.Auto.Resolve(threads: 4, modelBytes: 40 << 20, gpu: false, availableBytes: 8 * GiB));
        Assert.Equal(1, DecodingParallelism.Auto.Resolve(threads: 1, modelBytes: 40 << 20, gpu: false, availableBytes: 8 * GiB));
    }

    [Fact]
    public void Auto_takes_one_state_on_a_gpu()
    {
        Assert.Equal(1, DecodingParallelism.Auto.Resolve(threads: 8, modelBytes: 800 << 20, gpu: true, availableBytes: 64 * GiB));
    }

    [Fact]
    public void Auto_takes_no_more_states_than_half_the_available_memory_holds()
    {
        // large-v3-turbo q8_0 is about 870 MB: 160 MiB + 435 MB a state; 2 GiB free, half of it for states, holds one.
        Assert.Equal(1, DecodingParallelism.Auto.Resolve(threads: 8, modelBytes: 870_000_000, gpu: false, availableBytes: 2 * GiB));
        Assert.Equal(3, DecodingParallelism.Auto.Resolve(threads: 8, modelBytes: 870_000_000, gpu: false, availableBytes: 4 * GiB));
        Assert.Equal(16, DecodingParallelism.Auto.Resolve(threads: 64, modelBytes: 40 << 20, gpu: false, availableBytes: 256 * GiB));
    }

    [Fact]
    public void A_fixed_number_is_taken_as_given()
    {
        Assert.Equal(3, DecodingParallelism.Fixed(3).Resolve(threads: 1, modelBytes: 0, gpu: true, availableBytes: 0));
    }

    [Theory]
    [InlineData("auto", null)]
    [InlineData("AUTO", null)]
    [InlineData("", null)]
    [InlineData("1", 1)]
    [InlineData(" 16 ", 16)]
    public void Auto_and_the_numbers_1_to_16_parse(string text, int? states)
    {
        Assert.True(DecodingParallelism.TryParse(text, out var parsed));
        Assert.Equal(states, parsed.States);
        Assert.Equal(states?.ToString() ?? "auto", parsed.ToString());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("17")]
    [InlineData("-2")]
    [InlineData("2.5")]
    [InlineData("two")]
    public void Anything_else_does_not_parse(string text)
    {
        Assert.False(DecodingParallelism.TryParse(text, out _));
    }

    [Fact]
    public void A_chunk_without_speech_detection_is_cut_at_its_quiet_moments_into_contiguous_parts_of_whole_milliseconds()
    {
        // Arrange: 4 minutes of steady noise with a 300 ms hush near 1:20 and another near 2:35.
        var samples = new float[240 * Rate];
        var random = new Random(7);
        for (var i = 0; i < samples.Length; i++)
            samples[i] = (float)(random.NextDouble() - 0.5) * 0.5f;
        foreach (var hushAt in new[] { 80.0, 155.0 })
            Array.Clear(samples, (int)(hushAt * Rate), (int)(0.3 * Rate));
        var chunk = new AudioChunk(0, 0, samples, IsLast: true);

        // Act
        var parts = AudioTranscriber.PlanParts(chunk, layout: null, states: 3);

        // Assert
        Assert.Equal(3, parts.Count);
        Assert.Equal(0, parts[0].Start);
        for (var i = 1; i < parts.Count; i++)
        {
            Assert.Equal(parts[i - 1].Start + parts[i - 1].Length, parts[i].Start);
            Assert.Equal(0, parts[i].Start % (Rate / 1000));
        }
        Assert.Equal(samples.Length, parts[^1].Start + parts[^1].Length);
        Assert.InRange(parts[1].Start / (double)Rate, 80.0, 80.3);
        Assert.InRange(parts[2].Start / (double)Rate, 155.0, 155.3);
    }

    [Fact]
    public void A_chunk_shorter_than_two_minutes_stays_one_part_however_many_states_there_are()
    {
        var chunk = new AudioChunk(0, 0, new float[119 * Rate], IsLast: true);

        var parts = AudioTranscriber.PlanParts(chunk, layout: null, states: 4);

        Assert.Equal([new AudioTranscriber.DecodePart(0, 119 * Rate, null)], parts);
    }
}
