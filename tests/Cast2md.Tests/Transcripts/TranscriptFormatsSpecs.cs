using Cast2md.Transcripts;
using Xunit;

namespace Cast2md.Tests.Transcripts;

public class TranscriptFormatsSpecs
{
    [Theory]
    [InlineData("md", TranscriptFormat.Md)]
    [InlineData("Markdown", TranscriptFormat.Md)]
    [InlineData("SRT", TranscriptFormat.Srt)]
    [InlineData("vtt", TranscriptFormat.Vtt)]
    [InlineData("WebVTT", TranscriptFormat.Vtt)]
    [InlineData("json", TranscriptFormat.Json)]
    [InlineData("txt", TranscriptFormat.Txt)]
    [InlineData(" Text ", TranscriptFormat.Txt)]
    [InlineData(".md", TranscriptFormat.Md)]
    public void I_can_parse_a_format_name(string value, TranscriptFormat expected)
    {
        // Act
        var parsed = TranscriptFormats.TryParse(value, out var format);

        // Assert
        Assert.True(parsed);
        Assert.Equal(expected, format);
    }

    [Theory]
    [InlineData("")]
    [InlineData("docx")]
    [InlineData("m d")]
    [InlineData("0")]
    public void I_can_try_to_parse_an_unknown_format_name_and_get_false(string value)
    {
        // Act & assert
        Assert.False(TranscriptFormats.TryParse(value, out _));
    }

    [Fact]
    public void I_can_get_the_file_extension_of_each_format()
    {
        // Act & assert
        Assert.Equal(["md", "srt", "vtt", "json", "txt"], TranscriptFormats.All.Select(TranscriptFormats.Extension));
        Assert.All(TranscriptFormats.All, f =>
        {
            Assert.True(TranscriptFormats.TryParse(TranscriptFormats.Extension(f), out var back));
            Assert.Equal(f, back);
        });
    }
}
