using System.Text.Json;
using Cast2md.Json;
using Cast2md.Tests.Infra;
using Cast2md.Transcripts;
using Cast2md.Transcripts.Publisher;
using Xunit;

namespace Cast2md.Tests.Transcripts;

public class PublisherTranscriptWriterSpecs
{
    private static Transcript Timed { get; } =
        PublisherTranscriptParser.Parse(PublisherFixtures.Vtt, "text/vtt", null) with
        {
            Title = "Episode 12: Captions",
            Language = "en",
        };

    private static Transcript Untimed { get; } =
        PublisherTranscriptParser.Parse("First paragraph,\nstill the first.\n\nSecond paragraph. It has two sentences!\n", "text/plain", null) with
        {
            Title = "Episode 13: Prose",
        };

    private static Transcript Empty { get; } = PublisherTranscriptParser.Parse("WEBVTT\n", "text/vtt", null) with { Title = "Episode 14: Nothing" };

    public static TheoryData<string, TranscriptFormat, bool> Cases =>
        new()
        {
            { "publisher-vtt", TranscriptFormat.Md, true },
            { "publisher-vtt", TranscriptFormat.Md, false },
            { "publisher-vtt", TranscriptFormat.Json, true },
            { "publisher-vtt", TranscriptFormat.Srt, true },
            { "publisher-text", TranscriptFormat.Md, true },
            { "publisher-text", TranscriptFormat.Md, false },
            { "publisher-text", TranscriptFormat.Srt, true },
            { "publisher-text", TranscriptFormat.Vtt, true },
            { "publisher-text", TranscriptFormat.Json, true },
            { "publisher-text", TranscriptFormat.Txt, true },
            { "publisher-empty", TranscriptFormat.Md, true },
        };

    [Theory]
    [MemberData(nameof(Cases))]
    public void I_can_write_a_publisher_transcript_as_in_the_snapshot(string name, TranscriptFormat format, bool includeTimestamps)
    {
        // Arrange
        var transcript = name switch
        {
            "publisher-vtt" => Timed,
            "publisher-text" => Untimed,
            _ => Empty,
        };
        var snapshot = $"{name}{(includeTimestamps ? "" : ".no-timestamps")}.{TranscriptFormats.Extension(format)}";

        // Act
        var text = TranscriptWriter.Write(transcript, format, new TranscriptWriteOptions { IncludeTimestamps = includeTimestamps });

        // Assert
        Snapshot.Match(snapshot, text);
    }

    [Fact]
    public void I_can_write_markdown_for_a_publisher_transcript_in_the_upstream_shape()
    {
        // Act
        var timed = TranscriptWriter.Write(Timed, TranscriptFormat.Md);
        var untimed = TranscriptWriter.Write(Untimed, TranscriptFormat.Md);
        var empty = TranscriptWriter.Write(Empty, TranscriptFormat.Md);

        // Assert
        Assert.StartsWith(
            "# Episode 12: Captions\n\n*Source: Downloaded from publisher*\n\n**[00:11]** Chris: Hello",
            timed,
            StringComparison.Ordinal
        );
        Assert.DoesNotContain("*Language", timed, StringComparison.Ordinal);
        Assert.Equal(
            "# Episode 13: Prose\n\n*Source: Downloaded from publisher (no timestamps)*\n\nFirst paragraph, still the first.\n\nSecond paragraph. It has two sentences!\n",
            untimed
        );
        Assert.Equal("# Episode 14: Nothing\n\n*Source: Downloaded from publisher*\n\n*No transcript content available*\n", empty);
    }

    [Fact]
    public void I_can_write_a_whisper_transcript_unchanged_when_its_source_is_named()
    {
        // Arrange
        var whisper = SampleTranscripts.Full with { Source = "whisper" };

        // Act
        var markdown = TranscriptWriter.Write(whisper, TranscriptFormat.Md);
        var json = TranscriptWriter.Write(whisper, TranscriptFormat.Json);

        // Assert
        Assert.Equal(TranscriptWriter.Write(SampleTranscripts.Full, TranscriptFormat.Md), markdown);
        using var document = JsonDocument.Parse(json);
        Assert.Equal("whisper", document.RootElement.GetProperty("source").GetString());
        Assert.True(document.RootElement.GetProperty("has_timestamps").GetBoolean());
    }

    [Fact]
    public void I_can_read_a_publisher_json_transcript_back()
    {
        // Arrange
        var json = TranscriptWriter.Write(Untimed, TranscriptFormat.Json);

        // Act
        var document = JsonSerializer.Deserialize(json, Cast2mdJsonContext.Default.TranscriptJsonDocument)!;
        var transcript = document.ToTranscript();
        var legacy = JsonSerializer
            .Deserialize(TranscriptWriter.Write(SampleTranscripts.Full, TranscriptFormat.Json), Cast2mdJsonContext.Default.TranscriptJsonDocument)!
            .ToTranscript();

        // Assert
        Assert.Equal("podcast2.0:text", transcript.Source);
        Assert.False(transcript.HasTimestamps);
        Assert.Equal(Untimed.Segments, transcript.Segments);
        Assert.Null(legacy.Source);
        Assert.True(legacy.HasTimestamps);
        using var parsed = JsonDocument.Parse(json);
        Assert.Equal(
            ["title", "language", "language_probability", "model", "duration_ms", "note", "source", "has_timestamps", "segments"],
            parsed.RootElement.EnumerateObject().Select(p => p.Name)
        );
    }
}
