using Cast2md.Tests.Infra;
using Cast2md.Whisper;
using Xunit;

namespace Cast2md.Tests.Whisper;

/// <summary>Loading models with the real libwhisper (the stand-in model loads in milliseconds).</summary>
[Collection(WhisperNativeCollection.Name)]
public sealed class WhisperModelSpecs
{
    [Fact]
    public void I_can_load_the_library_and_get_the_pinned_whisper_cpp_version()
    {
        // Act
        var version = WhisperModel.LibraryVersion;

        // Assert
        Assert.Equal("1.9.1", version);
    }

    [Fact]
    public void I_can_get_the_system_info_of_the_loaded_library()
    {
        // Act
        var info = WhisperModel.SystemInfo;

        // Assert
        Assert.Contains("CPU", info);
    }

    [Fact]
    public void I_can_load_the_stand_in_model()
    {
        // Act
        using var model = WhisperModel.Load(Paths.StandInModel, new WhisperModelOptions { UseGpu = false });

        // Assert
        Assert.Equal(Path.GetFullPath(Paths.StandInModel), model.ModelPath);
        Assert.False(model.IsMultilingual);
    }

    [Fact]
    public void I_can_try_to_load_a_missing_model_and_get_an_error_naming_the_path()
    {
        // Arrange
        using var dir = TempDir.Create();
        var missing = dir.Combine("ggml-nope.bin");

        // Act
        var ex = Assert.Throws<WhisperModelLoadException>(() => WhisperModel.Load(missing));

        // Assert
        Assert.Equal(missing, ex.ModelPath);
        Assert.Contains(missing, ex.Message);
    }

    [Fact]
    public void I_can_try_to_load_a_text_file_as_a_model_and_get_a_model_load_error_without_a_crash()
    {
        // Arrange
        using var dir = TempDir.Create();
        var text = dir.Combine("notes.bin");
        File.WriteAllText(text, "These are show notes, not a ggml model.\n");

        // Act
        var ex = Assert.Throws<WhisperModelLoadException>(() => WhisperModel.Load(text));

        // Assert
        Assert.Equal(text, ex.ModelPath);
        Assert.Contains("not a whisper.cpp ggml model", ex.Message);
    }

    [Fact]
    public void I_can_dispose_a_model_and_its_session_and_get_their_native_handles_closed()
    {
        // Arrange
        var model = WhisperModel.Load(Paths.StandInModel);
        var session = model.CreateSession();

        // Act
        session.Dispose();
        model.Dispose();
        model.Dispose(); // twice is harmless

        // Assert
        Assert.True(session.State.IsClosed);
        Assert.True(model.Context.IsClosed);
        Assert.Throws<ObjectDisposedException>(() => model.CreateSession());
    }
}
