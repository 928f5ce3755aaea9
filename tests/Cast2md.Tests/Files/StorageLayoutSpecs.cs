using Cast2md.Errors;
using Cast2md.Files;
using Cast2md.Tests.Infra;
using Cast2md.Transcripts;
using Xunit;

namespace Cast2md.Tests.Files;

public sealed class StorageLayoutSpecs
{
    private static readonly DateTimeOffset Published = new(2024, 3, 9, 23, 30, 0, TimeSpan.FromHours(-5));

    [Fact]
    public void I_can_get_the_audio_path_of_an_episode_relative_to_the_data_directory()
    {
        // Arrange
        using var dir = TempDir.Create();
        var layout = new StorageLayout(dir.Path);

        // Act
        var path = layout.AudioRelativePath("Logbuch: Netzpolitik", Published, "LNP481 Ärger im Paradies", 42, "MP3");

        // Assert: the UTC date of publication, the episode id before the extension, forward slashes.
        Assert.Equal("audio/Logbuch_Netzpolitik/2024-03-10_LNP481_Ärger_im_Paradies_42.mp3", path);
    }

    [Fact]
    public void I_can_get_the_transcript_path_and_its_sibling_formats()
    {
        // Arrange
        using var dir = TempDir.Create();
        var layout = new StorageLayout(dir.Path);

        // Act
        var markdown = layout.TranscriptRelativePath("東京ポッドキャスト", Published, "第1回", 7);
        var srt = layout.TranscriptRelativePath("東京ポッドキャスト", Published, "第1回", 7, TranscriptFormat.Srt);
        var sibling = StorageLayout.SiblingTranscriptPath(markdown, TranscriptFormat.Vtt);

        // Assert
        Assert.Equal("transcripts/東京ポッドキャスト/2024-03-10_第1回_7.md", markdown);
        Assert.Equal("transcripts/東京ポッドキャスト/2024-03-10_第1回_7.srt", srt);
        Assert.Equal("transcripts/東京ポッドキャスト/2024-03-10_第1回_7.vtt", sibling);
    }

    [Fact]
    public void I_can_get_different_paths_for_two_episodes_with_the_same_date_and_title()
    {
        // Arrange
        using var dir = TempDir.Create();
        var layout = new StorageLayout(dir.Path);

        // Act
        var first = layout.AudioRelativePath("Daily", Published, "News", 1, "mp3");
        var second = layout.AudioRelativePath("Daily", Published, "News", 2, "mp3");
        var firstTranscript = layout.TranscriptRelativePath("Daily", Published, "News", 1);
        var secondTranscript = layout.TranscriptRelativePath("Daily", Published, "News", 2);

        // Assert
        Assert.NotEqual(first, second);
        Assert.NotEqual(firstTranscript, secondTranscript);
    }

    [Fact]
    public void I_can_get_the_same_path_on_every_run_for_an_undated_episode()
    {
        // Arrange
        using var dir = TempDir.Create();
        var layout = new StorageLayout(dir.Path);

        // Act
        var path = layout.AudioRelativePath("Show", null, "Bonus", 3, "m4a");

        // Assert
        Assert.Equal("audio/Show/undated_Bonus_3.m4a", path);
    }

    [Theory]
    [InlineData("exe", "mp3")]
    [InlineData(".OGG", "ogg")]
    [InlineData("../sh", "mp3")]
    [InlineData("", "mp3")]
    [InlineData("opus", "opus")]
    public void I_can_get_an_audio_path_only_with_a_known_extension(string extension, string expected)
    {
        // Arrange
        using var dir = TempDir.Create();
        var layout = new StorageLayout(dir.Path);

        // Act
        var path = layout.AudioRelativePath("Show", Published, "Title", 1, extension);

        // Assert
        Assert.EndsWith("_1." + expected, path);
    }

    [Fact]
    public void I_can_not_get_a_transcript_path_for_an_unknown_format()
    {
        // Arrange
        using var dir = TempDir.Create();
        var layout = new StorageLayout(dir.Path);

        // Act & Assert
        Assert.Throws<ArgumentException>(() => layout.TranscriptRelativePath("Show", Published, "Title", 1, "exe"));
    }

    [Fact]
    public void I_can_resolve_a_stored_relative_path_to_an_absolute_path_inside_the_data_directory()
    {
        // Arrange
        using var dir = TempDir.Create();
        var layout = new StorageLayout(dir.Path);
        var relative = layout.AudioRelativePath("Show", Published, "Title", 1, "mp3");

        // Act
        var absolute = layout.Resolve(relative);

        // Assert
        Assert.Equal(Path.Combine(dir.Path, "audio", "Show", "2024-03-10_Title_1.mp3"), absolute);
    }

    [Theory]
    [InlineData("../outside.mp3")]
    [InlineData("audio/../../outside.mp3")]
    [InlineData(@"audio\..\..\outside.mp3")]
    [InlineData("/etc/passwd")]
    [InlineData(@"\\server\share\file")]
    [InlineData(@"C:\Windows\win.ini")]
    [InlineData("C:relative")]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("audio/\0.mp3")]
    public void I_can_not_resolve_a_path_that_leaves_the_data_directory(string relative)
    {
        // Arrange
        using var dir = TempDir.Create();
        var layout = new StorageLayout(dir.Path);

        // Act & Assert
        Assert.Throws<Cast2mdException>(() => layout.Resolve(relative));
    }

    [Theory]
    [InlineData("https://cdn.example.com/ep/123.M4A?token=abc", null, "m4a")]
    [InlineData("https://dts.podtrac.com/redirect.mp3/host.example/ep.opus", "audio/mpeg", "opus")]
    [InlineData("https://example.com/download?id=5", "audio/x-m4a; charset=binary", "m4a")]
    [InlineData("https://example.com/file.php", "audio/ogg", "ogg")]
    [InlineData("https://example.com/file", "text/html", "mp3")]
    [InlineData(null, null, "mp3")]
    [InlineData("not a url at all.flac", null, "flac")]
    public void I_can_get_the_audio_extension_from_a_url_or_content_type(string? url, string? contentType, string expected)
    {
        // Act
        var extension = StorageLayout.ExtensionFromUrl(url, contentType);

        // Assert
        Assert.Equal(expected, extension);
    }
}
