using Cast2md.Settings;
using Xunit;

namespace Cast2md.Tests.Settings;

public sealed class EnvFileSpecs
{
    [Fact]
    public void I_can_parse_plain_exported_and_quoted_values()
    {
        // Arrange
        var text = """
            # cast2md settings
            WHISPER_MODEL=base
            export WHISPER_DEVICE=cuda
              USER_AGENT = my agent/1.0  
            SINGLE='literal \n $HOME "quoted"'
            DOUBLE="line1\nline2 \"quoted\" back\\slash"
            EMPTY=
            """;

        // Act
        var file = EnvFile.Parse(text);

        // Assert
        Assert.Empty(file.Warnings);
        Assert.Equal("base", file.Get("WHISPER_MODEL"));
        Assert.Equal("cuda", file.Get("WHISPER_DEVICE"));
        Assert.Equal("my agent/1.0", file.Get("USER_AGENT"));
        Assert.Equal("literal \\n $HOME \"quoted\"", file.Get("SINGLE"));
        Assert.Equal("line1\nline2 \"quoted\" back\\slash", file.Get("DOUBLE"));
        Assert.Null(file.Get("EMPTY"));
    }

    [Fact]
    public void I_can_parse_comments_after_values_only_when_a_space_precedes_the_hash()
    {
        // Arrange
        var text = """
            NTFY_TOPIC=abc # my topic
            NTFY_URL=https://ntfy.example/#anchor
            HASH_FIRST=#not-a-comment
            QUOTED="a # b" # comment
            TAB_COMMENT=value	#comment
            """;

        // Act
        var file = EnvFile.Parse(text);

        // Assert
        Assert.Empty(file.Warnings);
        Assert.Equal("abc", file.Get("NTFY_TOPIC"));
        Assert.Equal("https://ntfy.example/#anchor", file.Get("NTFY_URL"));
        Assert.Equal("#not-a-comment", file.Get("HASH_FIRST"));
        Assert.Equal("a # b", file.Get("QUOTED"));
        Assert.Equal("value", file.Get("TAB_COMMENT"));
    }

    [Fact]
    public void I_can_parse_crlf_line_ends_a_bom_blank_lines_and_repeated_keys()
    {
        // Arrange
        var text = "\uFEFFWHISPER_MODEL=tiny\r\n\r\n   \r\n# comment\r\nwhisper_model=small\r\nMAX_FEED_MB=8\r\n";

        // Act
        var file = EnvFile.Parse(text);

        // Assert
        Assert.Empty(file.Warnings);
        Assert.Equal("small", file.Get("WHISPER_MODEL"));
        Assert.Equal("8", file.Get("max_feed_mb"));
    }

    [Fact]
    public void I_can_parse_a_double_quoted_value_that_spans_lines()
    {
        // Arrange
        var text = "KEY=\"first\nsecond\"\nNEXT=1\n";

        // Act
        var file = EnvFile.Parse(text);

        // Assert
        Assert.Equal("first\nsecond", file.Get("KEY"));
        Assert.Equal("1", file.Get("NEXT"));
    }

    [Fact]
    public void I_can_parse_malformed_lines_and_get_them_as_warnings_while_the_rest_is_read()
    {
        // Arrange
        var text = """
            just some words
            1BAD=value
            BAD KEY=value
            =value
            TRAILING="x" junk
            OPEN="never closed
            GOOD=yes
            """;

        // Act
        var file = EnvFile.Parse(text, "test.env");

        // Assert
        Assert.Equal("yes", file.Get("GOOD"));
        Assert.Equal([1, 2, 3, 4, 5, 6], file.Warnings.Select(w => w.Line));
        Assert.All(file.Warnings, w => Assert.Equal("test.env", w.File));
        Assert.Contains("never closed", file.Warnings[5].Reason);
        Assert.StartsWith("test.env:1: ", file.Warnings[0].ToString());
        Assert.Null(file.Get("OPEN"));
        Assert.Null(file.Get("TRAILING"));
    }

    [Fact]
    public void I_can_load_a_missing_file_and_get_nothing()
    {
        // Act
        var file = EnvFile.Load(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), ".env"));

        // Assert
        Assert.Empty(file.Values);
        Assert.Empty(file.Warnings);
    }
}
