using Cast2md.Files;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.Files;

public sealed class AtomicFileSpecs
{
    [Fact]
    public async Task I_can_write_a_file_into_a_folder_that_does_not_exist_yet()
    {
        // Arrange
        using var dir = TempDir.Create();
        var path = dir.Combine("transcripts", "Show", "Folge_1_1.md");

        // Act
        await AtomicFile.WriteAllTextAsync(path, "# Grüße\n");

        // Assert
        Assert.Equal("# Grüße\n", await File.ReadAllTextAsync(path));
        Assert.Equal([0x23, 0x20, 0x47], (await File.ReadAllBytesAsync(path))[..3]);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public async Task I_can_replace_an_existing_file()
    {
        // Arrange
        using var dir = TempDir.Create();
        var path = dir.Combine("file.bin");
        await File.WriteAllTextAsync(path, "old content that is longer");

        // Act
        await AtomicFile.WriteAllBytesAsync(path, new byte[] { 1, 2, 3 });

        // Assert
        Assert.Equal(new byte[] { 1, 2, 3 }, await File.ReadAllBytesAsync(path));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task I_can_fail_while_writing_and_keep_the_old_file_and_no_temp_file()
    {
        // Arrange
        using var dir = TempDir.Create();
        var path = dir.Combine("file.md");
        await File.WriteAllTextAsync(path, "old");

        // Act
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => AtomicFile.WriteAsync(path, async (stream, ct) =>
            {
                await stream.WriteAsync(new byte[] { 1, 2, 3 }, ct);
                throw new InvalidOperationException("disk on fire");
            }));

        // Assert
        Assert.Equal("disk on fire", error.Message);
        Assert.Equal("old", await File.ReadAllTextAsync(path));
        Assert.Equal([path], Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task I_can_cancel_a_write_and_leave_no_file_and_no_temp_file()
    {
        // Arrange
        using var dir = TempDir.Create();
        var path = dir.Combine("file.md");
        using var cts = new CancellationTokenSource();

        // Act
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            AtomicFile.WriteAsync(
                path,
                async (stream, ct) =>
                {
                    await stream.WriteAsync(new byte[] { 1 }, ct);
                    cts.Cancel();
                    await stream.WriteAsync(new byte[] { 2 }, ct);
                },
                cts.Token
            )
        );

        // Assert
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task I_can_cancel_after_the_content_is_written_and_still_keep_the_old_file()
    {
        // Arrange
        using var dir = TempDir.Create();
        var path = dir.Combine("file.md");
        await File.WriteAllTextAsync(path, "old");
        using var cts = new CancellationTokenSource();

        // Act: the writer finishes, but the token is cancelled before the rename.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            AtomicFile.WriteAsync(
                path,
                (stream, _) =>
                {
                    stream.WriteByte(1);
                    cts.Cancel();
                    return Task.CompletedTask;
                },
                cts.Token
            )
        );

        // Assert
        Assert.Equal("old", await File.ReadAllTextAsync(path));
        Assert.Equal([path], Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task I_can_write_a_file_whose_name_is_at_the_255_byte_limit()
    {
        // Arrange
        using var dir = TempDir.Create();
        var path = dir.Combine(new string('ä', 125) + ".md");

        // Act
        await AtomicFile.WriteAllTextAsync(path, "x");

        // Assert
        Assert.Equal("x", await File.ReadAllTextAsync(path));
    }

    [Theory]
    [InlineData(".file.md.0123456789abcdef0123456789abcdef.tmp", true)]
    [InlineData(".x.ABCDEF0123456789abcdef0123456789.tmp", false)]
    [InlineData("file.md", false)]
    [InlineData("file.md.0123456789abcdef0123456789abcdef.tmp", false)]
    public void I_can_recognise_a_temp_file_left_by_an_interrupted_write(string name, bool expected)
    {
        // Act & Assert
        Assert.Equal(expected, AtomicFile.IsTempFileName(name));
    }
}
