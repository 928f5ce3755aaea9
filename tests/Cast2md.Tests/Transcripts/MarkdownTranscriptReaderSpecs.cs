using Cast2md.Transcripts;
using Xunit;

namespace Cast2md.Tests.Transcripts;

public sealed class MarkdownTranscriptReaderSpecs
{
    [Fact]
    public void The_originals_markdown_becomes_timed_segments_with_its_title_and_language()
    {
        // Arrange
        const string markdown =
            "# Folge 12\n\n*Language: de (98.7% confidence)*\n\n**[00:00]** Guten Tag.\n\n**[00:07]** Willkommen.\n\n**[59:59]** Fast.\n\n**[01:02:03]** Bis bald.\n";

        // Act
        var transcript = MarkdownTranscriptReader.Read(markdown);

        // Assert
        Assert.Equal("Folge 12", transcript.Title);
        Assert.Equal("de", transcript.Language);
        Assert.Equal(0.987, transcript.LanguageProbability!.Value, 3);
        Assert.True(transcript.HasTimestamps);
        Assert.Equal(
            [
                new(0, 7_000, "Guten Tag."),
                new(7_000, 3_599_000, "Willkommen."),
                new(3_599_000, 3_723_000, "Fast."),
                new TranscriptSegment(3_723_000, 3_728_000, "Bis bald."),
            ],
            transcript.Segments
        );
    }

    [Fact]
    public void What_our_writer_writes_reads_back_to_the_same_text_and_whole_second_starts()
    {
        // Arrange
        var original = new Transcript([new(1_400, 3_000, "One."), new(65_000, 70_000, "Two."), new TranscriptSegment(3_700_500, 3_702_000, "Three.")])
        {
            Title = "Round trip",
            Language = "en",
            LanguageProbability = 0.5,
        };

        // Act
        var read = MarkdownTranscriptReader.Read(TranscriptWriter.Write(original, TranscriptFormat.Md));

        // Assert
        Assert.Equal("Round trip", read.Title);
        Assert.Equal("en", read.Language);
        Assert.Equal(["One.", "Two.", "Three."], read.Segments.Select(s => s.Text));
        Assert.Equal([1_000L, 65_000L, 3_700_000L], read.Segments.Select(s => s.StartMs));
    }

    [Fact]
    public void Wrapped_lines_continue_their_segment_and_a_node_transcript_without_a_title_has_none()
    {
        // Act
        var transcript = MarkdownTranscriptReader.Read("**[00:01]** A long sentence\nthat wraps.\r\n\r\n**[00:04]** Next.");

        // Assert
        Assert.Null(transcript.Title);
        Assert.Equal(["A long sentence that wraps.", "Next."], transcript.Segments.Select(s => s.Text));
    }

    [Fact]
    public void Markdown_without_stamps_is_kept_as_untimed_paragraphs()
    {
        // Act
        var transcript = MarkdownTranscriptReader.Read(
            "# Notes\n\n*Source: Downloaded from publisher (no timestamps)*\n\nFirst paragraph\ncontinues.\n\nSecond."
        );

        // Assert
        Assert.False(transcript.HasTimestamps);
        Assert.True(transcript.IsFromPublisher);
        Assert.Equal(["First paragraph continues.", "Second."], transcript.Segments.Select(s => s.Text));
    }

    [Theory]
    [InlineData("**[00:99]** Seconds past 59 are not a stamp.")]
    [InlineData("**[1:75:00]** Minutes past 59 under an hour are not a stamp.")]
    [InlineData("**[99999999999999999999:00]** Too many digits.")]
    [InlineData("**[00:0]** Short seconds.")]
    public void A_malformed_stamp_is_text_not_a_time(string line)
    {
        // Act
        var transcript = MarkdownTranscriptReader.Read(line);

        // Assert
        Assert.False(transcript.HasTimestamps);
        Assert.Equal(line, Assert.Single(transcript.Segments).Text);
    }

    [Fact]
    public void Stamps_that_go_backwards_keep_their_order_and_never_end_before_they_start()
    {
        // Act
        var transcript = MarkdownTranscriptReader.Read("**[00:10]** Later.\n\n**[00:02]** Earlier.");

        // Assert
        Assert.All(transcript.Segments, s => Assert.True(s.EndMs > s.StartMs));
        Assert.Equal(["Later.", "Earlier."], transcript.Segments.Select(s => s.Text));
    }

    [Fact]
    public void A_hostile_megabyte_of_stars_and_brackets_is_read_in_one_pass()
    {
        // Arrange
        var hostile = string.Concat(Enumerable.Repeat("**[**[00:**]*", 80_000)) + "\n" + string.Concat(Enumerable.Repeat("*Language: ", 20_000));

        // Act
        var transcript = MarkdownTranscriptReader.Read(hostile);

        // Assert
        Assert.False(transcript.HasTimestamps);
        Assert.Null(transcript.Language);
    }

    [Fact]
    public void An_empty_transcripts_note_is_kept()
    {
        // Act
        var transcript = MarkdownTranscriptReader.Read("# Quiet\n\n*No speech detected*\n");

        // Assert
        Assert.Empty(transcript.Segments);
        Assert.Equal("No speech detected", transcript.Note);
    }
}
