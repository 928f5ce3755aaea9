using Cast2md.Tests.Infra;
using Cast2md.Transcripts;
using Xunit;

namespace Cast2md.Tests.Transcripts;

public class TranscriptFileSpecs
{
    [Fact(Timeout = 15000)]
    public async Task I_can_write_a_transcript_file_and_no_temporary_file_is_left_behind()
    {
        // Arrange
        using var dir = TempDir.Create();
        var path = dir.Combine("podcast", "2024-01-01_episode.md");

        // Act
        await TranscriptWriter.WriteFileAsync(SampleTranscripts.Full, TranscriptFormat.Md, path);

        // Assert
        Assert.Equal(TranscriptWriter.Write(SampleTranscripts.Full, TranscriptFormat.Md), await File.ReadAllTextAsync(path));
        Assert.Equal([path], Directory.GetFiles(dir.Combine("podcast")));
        Assert.NotEqual(0xEF, (await File.ReadAllBytesAsync(path))[0]); // no BOM
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_write_a_transcript_file_over_an_existing_one()
    {
        // Arrange
        using var dir = TempDir.Create();
        var path = dir.Combine("episode.srt");
        await File.WriteAllTextAsync(path, "old content that is much longer than the new one, and must not survive in part\n".PadRight(5000, '#'));

        // Act
        await TranscriptWriter.WriteFileAsync(SampleTranscripts.NoLanguage, TranscriptFormat.Srt, path);

        // Assert
        Assert.Equal(TranscriptWriter.Write(SampleTranscripts.NoLanguage, TranscriptFormat.Srt), await File.ReadAllTextAsync(path));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_cancel_writing_a_transcript_file_and_nothing_is_written()
    {
        // Arrange
        using var dir = TempDir.Create();
        var path = dir.Combine("episode.json");
        var existing = dir.Combine("kept.md");
        await File.WriteAllTextAsync(existing, "previous\n");
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        // Act
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            TranscriptWriter.WriteFileAsync(SampleTranscripts.Full, TranscriptFormat.Json, path, cancellationToken: cts.Token)
        );
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            TranscriptWriter.WriteFileAsync(SampleTranscripts.Full, TranscriptFormat.Md, existing, cancellationToken: cts.Token)
        );

        // Assert
        Assert.False(File.Exists(path));
        Assert.Equal("previous\n", await File.ReadAllTextAsync(existing));
        Assert.Equal([existing], Directory.GetFiles(dir.Path));
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_try_to_write_a_transcript_where_the_target_is_a_directory_and_nothing_is_left_behind()
    {
        // Arrange
        using var dir = TempDir.Create();
        var path = dir.Combine("episode.md");
        Directory.CreateDirectory(path);

        // Act
        var ex = await Record.ExceptionAsync(() => TranscriptWriter.WriteFileAsync(SampleTranscripts.Full, TranscriptFormat.Md, path));

        // Assert
        Assert.NotNull(ex);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}
