using Cast2md.Tests.Infra;
using Cast2md.Whisper;
using Cast2md.Whisper.Native;
using Xunit;

namespace Cast2md.Tests.Whisper;

/// <summary>Where libwhisper is looked for, and what the user reads when it is not there.</summary>
public sealed class WhisperLibrarySpecs
{
    [Fact]
    public void I_can_get_the_lookup_order_next_to_the_executable_then_the_override_then_the_system()
    {
        // Arrange
        using var dir = TempDir.Create();
        var overrideFile = dir.Combine("custom-whisper.so");

        // Act
        var candidates = WhisperLibrary.Candidates("/app", overrideFile);

        // Assert
        var name = WhisperLibrary.FileNames[0];
        Assert.Equal(Path.Combine("/app", name), candidates[0].Path);
        Assert.False(candidates[0].IsSystemName);
        var overrideIndex = candidates.ToList().FindIndex(c => c.Path == overrideFile);
        var firstSystem = candidates.ToList().FindIndex(c => c.IsSystemName);
        Assert.True(overrideIndex > 0 && overrideIndex < firstSystem, string.Join(", ", candidates));
        Assert.Equal(name, candidates[firstSystem].Path);
    }

    [Fact]
    public void I_can_point_the_override_at_a_directory_and_get_the_library_names_in_it()
    {
        // Arrange
        using var dir = TempDir.Create();

        // Act
        var candidates = WhisperLibrary.Candidates("/app", dir.Path);

        // Assert
        Assert.Contains(candidates, c => c.Path == Path.Combine(dir.Path, WhisperLibrary.FileNames[0]));
        Assert.DoesNotContain(candidates, c => c.Path == dir.Path);
    }

    [Fact]
    public void I_can_try_to_load_from_places_without_the_library_and_get_one_message_naming_each_and_what_to_run()
    {
        // Arrange
        using var dir = TempDir.Create();
        var candidates = new[]
        {
            new LibraryCandidate(dir.Combine("libwhisper.so"), "next to the executable"),
            new LibraryCandidate(dir.Combine("elsewhere", "libwhisper.so"), WhisperLibrary.OverrideVariable),
            new LibraryCandidate("libwhisper-that-does-not-exist.so.99", "system library path", IsSystemName: true),
        };

        // Act
        var ex = Assert.Throws<WhisperLibraryNotFoundException>(() => WhisperLibrary.LoadFirst(candidates));

        // Assert
        foreach (var candidate in candidates)
            Assert.Contains(candidate.Path, ex.Message);
        Assert.Contains("make setup", ex.Message);
        Assert.Contains("native/build-whisper.sh", ex.Message);
        Assert.Contains("CAST2MD_WHISPER_LIB", ex.Message);
    }

    [Fact]
    public void I_can_try_to_load_a_file_that_is_not_a_library_and_get_the_loader_error_in_the_message()
    {
        // Arrange
        using var dir = TempDir.Create();
        var bogus = dir.Combine("libwhisper.so");
        File.WriteAllText(bogus, "not an ELF file");

        // Act
        var ex = Assert.Throws<WhisperLibraryNotFoundException>(() =>
            WhisperLibrary.LoadFirst([new LibraryCandidate(bogus, "next to the executable")]));

        // Assert
        Assert.Contains(bogus, ex.Message);
        Assert.DoesNotContain($"{bogus} (next to the executable): not found", ex.Message);
        Assert.Contains("CAST2MD_WHISPER_LIB is not set", ex.Message);
    }
}
