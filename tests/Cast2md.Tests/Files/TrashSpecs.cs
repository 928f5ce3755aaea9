using Cast2md.Files;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.Files;

public sealed class TrashSpecs
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 5, TimeSpan.Zero);

    private static string Write(StorageLayout layout, string relative, string content = "x")
    {
        var path = layout.Resolve(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void I_can_move_a_feeds_files_to_the_trash_and_skip_missing_ones()
    {
        // Arrange
        using var dir = TempDir.Create();
        var layout = new StorageLayout(dir.Path);
        var audio = layout.AudioRelativePath("Mein Podcast", Now, "Folge 1", 1, "mp3");
        var transcript = layout.TranscriptRelativePath("Mein Podcast", Now, "Folge 1", 1);
        var missing = layout.AudioRelativePath("Mein Podcast", Now, "Folge 2", 2, "mp3");
        Write(layout, audio, "audio");
        Write(layout, transcript, "transcript");

        // Act
        var trash = layout.MoveToTrash("Mein Podcast", 9, [audio, transcript, missing], Now);

        // Assert
        Assert.Equal(Path.Combine(layout.TrashDirectory, "Mein_Podcast_9_20261123_120005"), trash);
        Assert.Equal("audio", File.ReadAllText(Path.Combine(trash, "audio", "2026-11-23_Folge_1_1.mp3")));
        Assert.Equal("transcript", File.ReadAllText(Path.Combine(trash, "transcripts", "2026-11-23_Folge_1_1.md")));
        Assert.False(File.Exists(layout.Resolve(audio)));
        Assert.False(Directory.Exists(Path.Combine(layout.AudioDirectory, "Mein_Podcast")));
        Assert.True(Directory.Exists(layout.AudioDirectory));
    }

    [Fact]
    public void I_can_move_files_to_the_trash_twice_in_the_same_second_and_keep_both()
    {
        // Arrange
        using var dir = TempDir.Create();
        var layout = new StorageLayout(dir.Path);
        var first = layout.AudioRelativePath("Show", Now, "One", 1, "mp3");
        var second = layout.AudioRelativePath("Show", Now, "Two", 2, "mp3");
        Write(layout, first);
        Write(layout, second);

        // Act
        var trashA = layout.MoveToTrash("Show", 1, [first], Now);
        var trashB = layout.MoveToTrash("Show", 1, [second], Now);

        // Assert
        Assert.NotEqual(trashA, trashB);
        Assert.True(File.Exists(Path.Combine(trashA, "audio", "2026-11-23_One_1.mp3")));
        Assert.True(File.Exists(Path.Combine(trashB, "audio", "2026-11-23_Two_2.mp3")));
    }

    [Fact]
    public void I_can_not_move_a_path_outside_the_data_directory_to_the_trash_and_nothing_moves()
    {
        // Arrange
        using var dir = TempDir.Create();
        var layout = new StorageLayout(Path.Combine(dir.Path, "data"));
        var audio = layout.AudioRelativePath("Show", Now, "One", 1, "mp3");
        Write(layout, audio);
        File.WriteAllText(Path.Combine(dir.Path, "outside.txt"), "keep");

        // Act & Assert
        Assert.Throws<Cast2md.Errors.Cast2mdException>(() => layout.MoveToTrash("Show", 1, [audio, "../outside.txt"], Now));
        Assert.True(File.Exists(layout.Resolve(audio)));
        Assert.True(File.Exists(Path.Combine(dir.Path, "outside.txt")));
        Assert.False(Directory.Exists(layout.TrashDirectory));
    }

    [Fact]
    public void I_can_purge_trash_older_than_thirty_days_and_keep_newer_trash()
    {
        // Arrange
        using var dir = TempDir.Create();
        var layout = new StorageLayout(dir.Path);
        var old = layout.AudioRelativePath("Old", Now, "A", 1, "mp3");
        var recent = layout.AudioRelativePath("Recent", Now, "B", 2, "mp3");
        Write(layout, old);
        Write(layout, recent);
        var oldTrash = layout.MoveToTrash("Old", 1, [old], Now.AddDays(-31));
        var recentTrash = layout.MoveToTrash("Recent", 2, [recent], Now.AddDays(-29));

        // Act
        var purged = layout.PurgeTrash(StorageLayout.DefaultTrashRetention, Now);

        // Assert
        Assert.Equal(1, purged);
        Assert.False(Directory.Exists(oldTrash));
        Assert.True(Directory.Exists(recentTrash));
    }

    [Fact]
    public void I_can_purge_trash_with_an_unrecognised_name_by_its_age_on_disk()
    {
        // Arrange
        using var dir = TempDir.Create();
        var layout = new StorageLayout(dir.Path);
        var stray = Directory.CreateDirectory(Path.Combine(layout.TrashDirectory, "manual-copy"));
        Directory.SetLastWriteTimeUtc(stray.FullName, Now.AddDays(-40).UtcDateTime);
        var fresh = Directory.CreateDirectory(Path.Combine(layout.TrashDirectory, "fresh-copy"));
        Directory.SetLastWriteTimeUtc(fresh.FullName, Now.AddDays(-1).UtcDateTime);

        // Act
        var purged = layout.PurgeTrash(StorageLayout.DefaultTrashRetention, Now);

        // Assert
        Assert.Equal(1, purged);
        Assert.False(Directory.Exists(stray.FullName));
        Assert.True(Directory.Exists(fresh.FullName));
    }

    [Fact]
    public void I_can_purge_temp_files_older_than_a_day_and_keep_newer_ones_and_real_files()
    {
        // Arrange
        using var dir = TempDir.Create();
        var layout = new StorageLayout(dir.Path);
        var oldTemp = Path.Combine(layout.TempDirectory, "downloads", "ep.mp3.part");
        var newTemp = Path.Combine(layout.TempDirectory, "chunk_1.wav");
        var oldPart = layout.Resolve("audio/Show/2026-01-01_Ep_1.mp3.part");
        var oldAtomic = layout.Resolve("transcripts/Show/.2026-01-01_Ep_1.md.0123456789abcdef0123456789abcdef.tmp");
        var realAudio = layout.Resolve("audio/Show/2026-01-01_Ep_1.mp3");
        foreach (var path in new[] { oldTemp, newTemp, oldPart, oldAtomic, realAudio })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, "x");
            File.SetLastWriteTimeUtc(path, Now.AddHours(-30).UtcDateTime);
        }
        File.SetLastWriteTimeUtc(newTemp, Now.AddHours(-2).UtcDateTime);
        Directory.SetLastWriteTimeUtc(Path.GetDirectoryName(oldTemp)!, Now.AddHours(-30).UtcDateTime);

        // Act
        var purged = layout.PurgeTemp(StorageLayout.DefaultTempRetention, Now);

        // Assert
        Assert.Equal(3, purged);
        Assert.False(File.Exists(oldTemp));
        Assert.False(File.Exists(oldPart));
        Assert.False(File.Exists(oldAtomic));
        Assert.False(Directory.Exists(Path.GetDirectoryName(oldTemp)));
        Assert.True(File.Exists(newTemp));
        Assert.True(File.Exists(realAudio));
    }

    [Fact]
    public void I_can_purge_when_nothing_was_ever_written()
    {
        // Arrange
        using var dir = TempDir.Create();
        var layout = new StorageLayout(Path.Combine(dir.Path, "fresh"));

        // Act
        var trash = layout.PurgeTrash(StorageLayout.DefaultTrashRetention, Now);
        var temp = layout.PurgeTemp(StorageLayout.DefaultTempRetention, Now);

        // Assert
        Assert.Equal(0, trash);
        Assert.Equal(0, temp);
    }
}
