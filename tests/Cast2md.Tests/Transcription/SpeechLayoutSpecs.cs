using Cast2md.Transcription;
using Cast2md.Whisper;
using Xunit;

namespace Cast2md.Tests.Transcription;

/// <summary>The compact buffer of a chunk's speech, and the way back from its times to the chunk's.</summary>
public sealed class SpeechLayoutSpecs
{
    private const int Rate = 16_000;
    private static readonly TimeSpan Padding = TimeSpan.FromMilliseconds(400);
    private static readonly TimeSpan Gap = TimeSpan.FromMilliseconds(200);

    private static SpeechSpan Span(double startSeconds, double endSeconds) =>
        new(TimeSpan.FromSeconds(startSeconds), TimeSpan.FromSeconds(endSeconds));

    private static SpeechLayout Layout(double chunkSeconds, params SpeechSpan[] speech) =>
        SpeechLayout.Build(speech, (int)(chunkSeconds * Rate), Padding, Gap);

    [Fact]
    public void I_get_an_empty_layout_when_the_chunk_has_no_speech()
    {
        // Act
        var layout = Layout(60);

        // Assert
        Assert.True(layout.IsEmpty);
        Assert.Equal(0, layout.BufferLength);
        Assert.Empty(layout.Pieces);
    }

    [Fact]
    public void I_get_each_stretch_of_speech_padded_and_laid_end_to_end_with_a_gap_between()
    {
        // Act: speech at 10-12 s and 30-31 s of a minute
        var layout = Layout(60, Span(10, 12), Span(30, 31));

        // Assert
        Assert.Equal([new SpeechLayout.Piece(9_600 * 16, 0, 2_800 * 16), new SpeechLayout.Piece(29_600 * 16, 3_000 * 16, 1_800 * 16)], layout.Pieces);
        Assert.Equal(4_800 * 16, layout.BufferLength);
    }

    [Fact]
    public void I_get_padding_cut_off_at_the_edges_of_the_chunk()
    {
        // Act
        var layout = Layout(5, Span(0.1, 1), Span(4.8, 5));

        // Assert
        Assert.Equal(0, layout.Pieces[0].SourceStart);
        Assert.Equal(5 * Rate, layout.Pieces[^1].SourceEnd);
    }

    [Fact]
    public void I_get_speech_outside_the_chunk_dropped_and_speech_across_its_edge_clipped()
    {
        // Act
        var layout = Layout(5, Span(-1, -0.5), Span(4.9, 6), Span(7, 8));

        // Assert
        var piece = Assert.Single(layout.Pieces);
        Assert.Equal(4_500 * 16, piece.SourceStart);
        Assert.Equal(5 * Rate, piece.SourceEnd);
    }

    [Fact]
    public void I_get_stretches_closer_than_their_padding_and_one_gap_merged_into_one_piece()
    {
        // Act: 0.9 s apart (less than 400 + 400 + 200 ms), then 1.2 s apart, and two that overlap, given out of order
        var layout = Layout(60, Span(20.5, 21), Span(10, 12), Span(12.9, 14), Span(15.2, 16), Span(20, 20.7));

        // Assert
        Assert.Equal(3, layout.Pieces.Count);
        Assert.Equal((9.6, 14.4), Seconds(layout.Pieces[0]));
        Assert.Equal((14.8, 16.4), Seconds(layout.Pieces[1]));
        Assert.Equal((19.6, 21.4), Seconds(layout.Pieces[2]));
    }

    [Fact]
    public void I_can_compose_a_passage_from_its_pieces_with_silence_in_the_gaps()
    {
        // Arrange: every sample holds its own index, so the buffer shows where each came from; 1 s removed between the pieces
        var source = Enumerable.Range(0, 10 * Rate).Select(i => (float)i).ToArray();
        var layout = Layout(10, Span(2, 3), Span(4.8, 5.5));
        var passage = Assert.Single(layout.Passages);
        var buffer = Enumerable.Repeat(-1f, passage.Length + 5).ToArray();

        // Act
        layout.Compose(passage, source, buffer);

        // Assert
        var first = layout.Pieces[0];
        var second = layout.Pieces[1];
        Assert.Equal(source.AsSpan(first.SourceStart, first.Length).ToArray(), buffer.AsSpan(0, first.Length).ToArray());
        Assert.All(buffer.AsSpan(first.BufferEnd, second.BufferStart - first.BufferEnd).ToArray(), sample => Assert.Equal(0f, sample));
        Assert.Equal(source.AsSpan(second.SourceStart, second.Length).ToArray(), buffer.AsSpan(second.BufferStart, second.Length).ToArray());
        Assert.Equal(-1f, buffer[passage.Length]);
    }

    [Fact]
    public void I_can_compose_a_later_passage_into_a_buffer_that_starts_with_its_first_sample()
    {
        // Arrange
        var source = Enumerable.Range(0, 40 * Rate).Select(i => (float)i).ToArray();
        var layout = Layout(40, Span(2, 3), Span(30, 31));
        var second = layout.Passages[1];
        var buffer = new float[layout.LongestPassage];

        // Act
        layout.Compose(second, source, buffer);

        // Assert
        var piece = layout.Pieces[1];
        Assert.Equal(source.AsSpan(piece.SourceStart, piece.Length).ToArray(), buffer.AsSpan(0, piece.Length).ToArray());
    }

    [Fact]
    public void I_get_a_segment_inside_a_piece_moved_by_that_piece_s_offset_to_the_millisecond()
    {
        // Arrange: the second piece starts at 29.6 s in the chunk and at 3.0 s in the buffer
        var layout = Layout(60, Span(10, 12), Span(30, 31));

        // Act
        var first = layout.MapSegment(500, 1_900);
        var second = layout.MapSegment(3_517, 4_203);

        // Assert
        Assert.Equal((10_100, 11_500), first);
        Assert.Equal((30_117, 30_803), second);
        Assert.Equal(26_600, layout.Pieces[1].OffsetMs);
    }

    [Fact]
    public void I_get_a_segment_across_a_cut_with_its_start_mapped_through_the_first_piece_and_its_end_through_the_second()
    {
        // Arrange
        var layout = Layout(60, Span(10, 12), Span(30, 31));

        // Act: starts at 11.5 s of the chunk, ends in the second piece
        var (start, end) = layout.MapSegment(1_900, 3_800);

        // Assert
        Assert.Equal(11_500, start);
        Assert.Equal(30_400, end);
    }

    [Fact]
    public void I_get_a_start_in_the_padding_moved_to_where_the_speech_begins()
    {
        // Arrange: whisper often starts a segment at the very beginning of the audio it was given
        var layout = Layout(60, Span(10, 12), Span(30, 31));

        // Act
        var atBufferStart = layout.MapSegment(0, 1_000);
        var inSecondPadding = layout.MapSegment(3_100, 3_900);

        // Assert
        Assert.Equal((10_000, 10_600), atBufferStart);
        Assert.Equal((30_000, 30_500), inSecondPadding);
    }

    [Fact]
    public void I_get_a_start_in_a_pause_inside_a_merged_piece_moved_to_the_next_words()
    {
        // Arrange: one piece 9.6-14.4 s holding speech at 10-12 s and 12.9-14 s
        var layout = Layout(60, Span(10, 12), Span(12.9, 14));

        // Act: 12.5 s lies in the pause
        var (start, _) = layout.MapSegment(2_900, 4_000);

        // Assert
        Assert.Equal(12_900, start);
    }

    [Fact]
    public void I_get_times_in_a_gap_mapped_to_the_edges_of_the_audio_it_separates()
    {
        // Arrange: the gap lies at 2.8-3.0 s of the buffer
        var layout = Layout(60, Span(10, 12), Span(30, 31));

        // Act
        var endInGap = layout.MapEnd(2_900);
        var startInGap = layout.MapStart(2_900);

        // Assert
        Assert.Equal(12_400, endInGap);
        Assert.Equal(30_000, startInGap);
    }

    [Fact]
    public void I_never_get_a_time_outside_the_chunk_or_an_end_before_its_start()
    {
        // Arrange
        var layout = Layout(20, Span(0.2, 3), Span(18, 19.9));

        // Act
        var beyond = layout.MapSegment(-500, 99_000);
        var inGapOnly = layout.MapSegment(3_250, 3_300);
        var late = layout.MapSegment(99_000, 99_500);

        // Assert
        Assert.Equal((200, 20_000), beyond);
        Assert.True(inGapOnly.EndMs >= inGapOnly.StartMs);
        Assert.Equal((20_000, 20_000), late);
    }

    [Fact]
    public void I_get_starts_and_ends_that_never_go_back_in_time()
    {
        // Arrange
        var layout = Layout(120, Span(1, 2), Span(2.3, 5), Span(9, 9.4), Span(40, 41), Span(41.9, 44), Span(100, 119.9));

        // Act
        var starts = Enumerable.Range(0, layout.BufferLength / 16 + 50).Select(ms => layout.MapStart(ms)).ToList();
        var ends = Enumerable.Range(0, layout.BufferLength / 16 + 50).Select(ms => layout.MapEnd(ms)).ToList();

        // Assert
        Assert.Equal(starts.Order(), starts);
        Assert.Equal(ends.Order(), ends);
        Assert.All(starts.Concat(ends), ms => Assert.InRange(ms, 0, 120_000));
    }

    [Fact]
    public void I_get_a_new_passage_after_a_long_break_and_short_cuts_kept_in_one_passage()
    {
        // Act: 1.2 s removed between the first two pieces, 14.2 s before the third
        var layout = Layout(60, Span(10, 12), Span(14, 15), Span(30, 31));

        // Assert
        Assert.Equal([new SpeechLayout.Passage(0, 2, 0, 4_800 * 16), new SpeechLayout.Passage(2, 1, 5_000 * 16, 1_800 * 16)], layout.Passages);
    }

    [Fact]
    public void I_get_passages_that_fill_one_whisper_window_at_most_unless_one_piece_is_longer()
    {
        // Act: three pieces of 12.2 s with about a second removed between them, then one of 45.8 s
        var layout = Layout(200, Span(0.4, 11.8), Span(13.7, 25.1), Span(27, 38.4), Span(40, 85));

        // Assert
        Assert.Equal([2, 1, 1], layout.Passages.Select(p => p.PieceCount));
        Assert.All(layout.Passages.SkipLast(1), p => Assert.True(p.Length <= 30 * Rate));
        Assert.True(layout.Passages[^1].Length > 30 * Rate);
    }

    [Fact]
    public void I_get_a_passage_s_segment_mapped_from_the_passage_s_start_and_kept_within_the_passage()
    {
        // Arrange: the second passage is the piece at 29.6 s of the chunk
        var layout = Layout(60, Span(10, 12), Span(30, 31));
        var second = layout.Passages[1];

        // Act
        var inside = layout.MapSegment(second, 517, 1_203);
        var overrun = layout.MapSegment(second, 1_700, 2_500);

        // Assert
        Assert.Equal((30_117, 30_803), inside);
        Assert.Equal((31_300, 31_400), overrun);
    }

    private static (double, double) Seconds(SpeechLayout.Piece piece) => (piece.SourceStart / (double)Rate, piece.SourceEnd / (double)Rate);
}
