using System.Text.Json;
using Cast2md.Json;
using Cast2md.Tests.Infra;
using Cast2md.Transcripts;
using Xunit;

namespace Cast2md.Tests.Transcripts;

public class TranscriptWriterSpecs
{
    [Theory]
    [InlineData("full", TranscriptFormat.Md, true)]
    [InlineData("full", TranscriptFormat.Md, false)]
    [InlineData("full", TranscriptFormat.Srt, true)]
    [InlineData("full", TranscriptFormat.Vtt, true)]
    [InlineData("full", TranscriptFormat.Json, true)]
    [InlineData("full", TranscriptFormat.Txt, true)]
    [InlineData("no-language", TranscriptFormat.Md, true)]
    [InlineData("no-language", TranscriptFormat.Md, false)]
    [InlineData("no-language", TranscriptFormat.Json, true)]
    [InlineData("language-without-probability", TranscriptFormat.Md, true)]
    [InlineData("note", TranscriptFormat.Md, true)]
    [InlineData("note", TranscriptFormat.Srt, true)]
    [InlineData("note", TranscriptFormat.Vtt, true)]
    [InlineData("note", TranscriptFormat.Json, true)]
    [InlineData("note", TranscriptFormat.Txt, true)]
    public void I_can_write_a_transcript_in_each_format_as_in_the_snapshot(string transcript, TranscriptFormat format, bool includeTimestamps)
    {
        // Arrange
        var options = new TranscriptWriteOptions { IncludeTimestamps = includeTimestamps };
        var snapshot = $"{transcript}{(includeTimestamps ? "" : ".no-timestamps")}.{TranscriptFormats.Extension(format)}";

        // Act
        var text = TranscriptWriter.Write(SampleTranscripts.ByName(transcript), format, options);

        // Assert
        Snapshot.Match(snapshot, text);
    }

    [Fact]
    public void I_can_write_markdown_with_the_upstream_timestamp_shape()
    {
        // Arrange
        var transcript = new Transcript([
            new TranscriptSegment(0, 1000, " First Whisper segment text. "),
            new TranscriptSegment(7_900, 9_000, "Next segment."),
            new TranscriptSegment(3_723_999, 3_725_000, "From one hour on the stamp is HH:MM:SS."),
        ])
        {
            Title = "Episode Title",
            Language = "de",
            LanguageProbability = 0.987,
        };

        // Act
        var markdown = TranscriptWriter.Write(transcript, TranscriptFormat.Md);

        // Assert
        Assert.Equal(
            """
            # Episode Title

            *Language: de (98.7% confidence)*

            **[00:00]** First Whisper segment text.

            **[00:07]** Next segment.

            **[01:02:03]** From one hour on the stamp is HH:MM:SS.

            """.ReplaceLineEndings("\n"),
            markdown
        );
    }

    [Theory]
    [InlineData(0, "00:00")]
    [InlineData(999, "00:00")]
    [InlineData(59_999, "00:59")]
    [InlineData(3_599_999, "59:59")]
    [InlineData(3_600_000, "01:00:00")]
    [InlineData(36_000_000, "10:00:00")]
    [InlineData(-5, "00:00")]
    public void I_can_get_the_markdown_stamp_truncated_to_whole_seconds(long milliseconds, string expected)
    {
        // Act & assert
        Assert.Equal(expected, TranscriptWriter.MarkdownStamp(milliseconds));
    }

    [Fact]
    public void I_can_read_the_json_transcript_back()
    {
        // Arrange
        var text = TranscriptWriter.Write(SampleTranscripts.Full, TranscriptFormat.Json);

        // Act
        var document = JsonSerializer.Deserialize(text, Cast2mdJsonContext.Default.TranscriptJsonDocument);

        // Assert
        Assert.NotNull(document);
        Assert.Equal("Episode 42: Ask Not", document.Title);
        Assert.Equal(0.9874, document.LanguageProbability);
        Assert.Equal(7, document.Segments.Count); // the empty segment is left out
        Assert.Equal(3_723.456m, document.Segments[^1].Start);
        Assert.Equal("From one hour on the stamp is HH:MM:SS.", document.ToTranscript().Segments[^1].Text);
        using var json = JsonDocument.Parse(text);
        Assert.Equal(
            ["title", "language", "language_probability", "model", "duration_ms", "note", "segments"],
            json.RootElement.EnumerateObject().Select(p => p.Name)
        );
        Assert.Equal(
            ["start_ms", "end_ms", "start", "end", "text"],
            json.RootElement.GetProperty("segments")[0].EnumerateObject().Select(p => p.Name)
        );
    }

    [Fact]
    public void I_can_write_an_empty_transcript_as_empty_text()
    {
        // Act & assert
        Assert.All(TranscriptFormats.All.Where(f => f is not TranscriptFormat.Json and not TranscriptFormat.Vtt), f =>
            Assert.Equal("", TranscriptWriter.Write(new Transcript([]), f))
        );
        Assert.Equal("WEBVTT\n", TranscriptWriter.Write(new Transcript([]), TranscriptFormat.Vtt));
    }
}
