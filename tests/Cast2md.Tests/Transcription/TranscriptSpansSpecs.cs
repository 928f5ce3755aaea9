using Cast2md.Media;
using Cast2md.Queue;
using Cast2md.Tests.Infra;
using Cast2md.Tests.Media;
using Cast2md.Transcription;
using Cast2md.Transcripts;
using Xunit;

namespace Cast2md.Tests.Transcription;

/// <summary>Where a long episode is cut into spans (real ffmpeg on real speech) and how the spans' transcripts are put back together.</summary>
public sealed class TranscriptSpansSpecs : IDisposable
{
    private readonly TempDir _dir = TempDir.Create();

    [Fact(Timeout = 60_000)]
    public async Task Cuts_fall_in_the_silences_between_passages_and_the_last_span_runs_to_the_end()
    {
        // Arrange: JFK's 11 s, 3 s of silence, again, silence, again (39 s)
        var audio = await TestAudio.JfkThreeTimesAsync(_dir);

        // Act
        var spans = await TranscriptSpans.PlanAsync(
            audio,
            TimeSpan.FromSeconds(39),
            3,
            FfmpegOptions.Read(Cast2md.Settings.LocalSettings.Process.Get),
            CancellationToken.None
        );

        // Assert
        Assert.Equal(3, spans.Count);
        Assert.Equal(0, spans[0].StartMs);
        Assert.InRange(spans[0].EndMs, 11_000, 14_000);
        Assert.Equal(spans[0].EndMs, spans[1].StartMs);
        Assert.InRange(spans[1].EndMs, 25_000, 28_000);
        Assert.Equal(spans[1].EndMs, spans[2].StartMs);
        Assert.True(spans[2].IsOpenEnded);
    }

    [Fact]
    public void A_passage_whisper_stamps_from_the_start_of_a_spans_overlap_is_kept_once_and_inside_its_span()
    {
        // Arrange: the cut at 12.5 s; the second span heard from 11 s on and whisper started its first segment there
        var first = new Transcript([new TranscriptSegment(0, 11_000, "First passage."), new TranscriptSegment(12_000, 12_800, "Breath.")]);
        var second = new Transcript([new TranscriptSegment(11_000, 23_700, "Second passage."), new TranscriptSegment(23_700, 24_400, "End.")]);

        // Act
        var stitched = TranscriptSpans.Stitch([(new SpanRange(0, 12_500), first), (new SpanRange(12_500, SpanRange.OpenEnd), second)]);

        // Assert
        Assert.Equal(["First passage.", "Breath.", "Second passage.", "End."], stitched.Segments.Select(s => s.Text));
        Assert.Equal((12_000L, 12_500L), (stitched.Segments[1].StartMs, stitched.Segments[1].EndMs));
        Assert.Equal(12_500L, stitched.Segments[2].StartMs);
    }

    [Fact]
    public void Words_heard_by_both_spans_of_a_seam_are_kept_from_the_span_that_owns_their_middle_only()
    {
        // Arrange
        var first = new Transcript([new TranscriptSegment(0, 9_000, "One."), new TranscriptSegment(9_500, 10_400, "Across.")]);
        var second = new Transcript([new TranscriptSegment(9_400, 10_300, "Across."), new TranscriptSegment(11_000, 15_000, "Two.")]);

        // Act
        var stitched = TranscriptSpans.Stitch([(new SpanRange(10_000, SpanRange.OpenEnd), second), (new SpanRange(0, 10_000), first)]);

        // Assert
        Assert.Equal(["One.", "Across.", "Two."], stitched.Segments.Select(s => s.Text));
    }

    public void Dispose() => _dir.Dispose();
}
