using Cast2md.Models;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.Models;

public class ModelStoreSpecs
{
    // Nothing listens here: a spec that must not download fails loudly if it tries.
    private static readonly Uri Nowhere = new("http://127.0.0.1:9/models");

    [Fact(Timeout = 15000)]
    public async Task I_can_resolve_a_path_to_a_model_file_and_get_it_as_is()
    {
        // Arrange
        using var dir = TempDir.Create();
        var store = TestModels.Store(dir.Path, Nowhere);

        // Act
        var path = await store.ResolveAsync(Paths.StandInModel, "int8");

        // Assert
        Assert.Equal(Path.GetFullPath(Paths.StandInModel), path);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Theory(Timeout = 15000)]
    [InlineData("missing/ggml-model.bin")]
    [InlineData("nowhere.bin")]
    [InlineData("/definitely/not/here")]
    public async Task I_can_try_to_resolve_a_missing_model_path_and_get_an_error_naming_it(string missing)
    {
        // Arrange
        using var dir = TempDir.Create();
        var store = TestModels.Store(dir.Path, Nowhere);

        // Act
        var ex = await Assert.ThrowsAsync<ModelException>(() => store.ResolveAsync(missing, "int8"));

        // Assert
        Assert.Contains(Path.GetFullPath(missing), ex.Message);
        Assert.Contains("not found", ex.Message);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_resolve_an_installed_model_without_any_http_request()
    {
        // Arrange
        using var dir = TempDir.Create();
        await using var server = TestModels.Serve();
        var store = TestModels.Store(dir.Path, server.BaseUrl());
        var installed = dir.Combine("ggml-tiny-q8_0.bin");
        await File.WriteAllBytesAsync(installed, [1, 2, 3]);
        var notices = new List<string>();

        // Act
        var path = await store.ResolveAsync("tiny", "int8", onNotice: notices.Add);

        // Assert
        Assert.Equal(installed, path);
        Assert.Empty(server.Requests);
        Assert.Empty(notices);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_resolve_a_custom_file_name_in_the_models_directory()
    {
        // Arrange
        using var dir = TempDir.Create();
        var store = TestModels.Store(dir.Path, Nowhere);
        var custom = dir.Combine("my-finetune.bin");
        await File.WriteAllBytesAsync(custom, [1]);

        // Act
        var path = await store.ResolveAsync("my-finetune.bin", "int8");

        // Assert
        Assert.Equal(custom, path);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_resolve_a_substituted_model_and_hear_the_notice()
    {
        // Arrange
        using var dir = TempDir.Create();
        var store = TestModels.Store(dir.Path, Nowhere);
        await File.WriteAllBytesAsync(dir.Combine("ggml-large-v1.bin"), [1]);
        var notices = new List<string>();

        // Act
        var path = await store.ResolveAsync("large-v1", "int8", onNotice: notices.Add);

        // Assert
        Assert.Equal(dir.Combine("ggml-large-v1.bin"), path);
        Assert.Contains("ggml-large-v1.bin", Assert.Single(notices));
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_resolve_a_hugging_face_id_that_is_not_a_path_to_our_model()
    {
        // Arrange
        using var dir = TempDir.Create();
        var store = TestModels.Store(dir.Path, Nowhere);
        await File.WriteAllBytesAsync(dir.Combine("ggml-tiny-q8_0.bin"), [1]);
        var notices = new List<string>();

        // Act
        var path = await store.ResolveAsync("Systran/faster-whisper-tiny", "int8", onNotice: notices.Add);

        // Assert
        Assert.Equal(dir.Combine("ggml-tiny-q8_0.bin"), path);
        Assert.Contains("Systran/faster-whisper-tiny", Assert.Single(notices));
    }

    [Fact]
    public void I_can_list_installed_models_without_partial_downloads_or_other_files()
    {
        // Arrange
        using var dir = TempDir.Create();
        var store = TestModels.Store(dir.Path, Nowhere);
        File.WriteAllBytes(dir.Combine("ggml-tiny-q8_0.bin"), new byte[10]);
        File.WriteAllBytes(dir.Combine("custom.bin"), new byte[3]);
        File.WriteAllBytes(dir.Combine("ggml-base.bin.part"), new byte[5]);
        File.WriteAllText(dir.Combine("notes.txt"), "x");

        // Act
        var installed = store.ListInstalled();

        // Assert
        Assert.Collection(
            installed,
            m =>
            {
                Assert.Equal("custom.bin", m.FileName);
                Assert.Equal(3, m.SizeBytes);
                Assert.Null(m.CatalogEntry);
            },
            m =>
            {
                Assert.Equal("ggml-tiny-q8_0.bin", m.FileName);
                Assert.Equal(dir.Combine("ggml-tiny-q8_0.bin"), m.Path);
                Assert.Equal(10, m.SizeBytes);
                Assert.Equal("tiny-q8_0", m.CatalogEntry?.Name);
            }
        );
    }

    [Fact]
    public void I_can_list_installed_models_before_the_models_directory_exists()
    {
        // Arrange
        using var dir = TempDir.Create();
        var store = TestModels.Store(dir.Combine("not-yet"), Nowhere);

        // Act
        var installed = store.ListInstalled();

        // Assert
        Assert.Empty(installed);
    }

    [Fact]
    public void I_can_remove_a_model_by_name_and_compute_type_with_its_partial_download()
    {
        // Arrange
        using var dir = TempDir.Create();
        var store = TestModels.Store(dir.Path, Nowhere);
        File.WriteAllBytes(dir.Combine("ggml-tiny-q8_0.bin"), new byte[10]);
        File.WriteAllBytes(dir.Combine("ggml-tiny-q8_0.bin.part"), new byte[5]);
        File.WriteAllBytes(dir.Combine("ggml-tiny.bin"), new byte[10]);

        // Act
        var removed = store.Remove("tiny", "int8");
        var removedAgain = store.Remove("tiny", "int8");

        // Assert
        Assert.True(removed);
        Assert.False(removedAgain);
        Assert.Equal(["ggml-tiny.bin"], Directory.EnumerateFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void I_can_remove_a_model_before_the_models_directory_exists_and_get_false()
    {
        // Arrange
        using var dir = TempDir.Create();
        var store = TestModels.Store(dir.Combine("not-yet"), Nowhere);

        // Act
        var removed = store.Remove("tiny", "int8");

        // Assert
        Assert.False(removed);
    }

    [Fact]
    public void I_can_remove_a_custom_model_by_its_file_name()
    {
        // Arrange
        using var dir = TempDir.Create();
        var store = TestModels.Store(dir.Path, Nowhere);
        File.WriteAllBytes(dir.Combine("custom.bin"), new byte[3]);

        // Act
        var removed = store.Remove("custom.bin");

        // Assert
        Assert.True(removed);
        Assert.Empty(Directory.EnumerateFiles(dir.Path));
    }

    [Fact]
    public void I_can_try_to_remove_a_path_or_an_unknown_name_and_get_an_error()
    {
        // Arrange
        using var dir = TempDir.Create();
        var store = TestModels.Store(dir.Path, Nowhere);

        // Act
        var pathError = Assert.Throws<ModelException>(() => store.Remove(Paths.StandInModel));
        var nameError = Assert.Throws<ModelException>(() => store.Remove("huge"));

        // Assert
        Assert.Contains(dir.Path, pathError.Message);
        Assert.Contains("tiny, tiny.en", nameError.Message);
        Assert.True(File.Exists(Paths.StandInModel));
    }

    [Theory]
    [InlineData("http://mirror.local/whisper", "tiny-q8_0", "http://mirror.local/whisper/ggml-tiny-q8_0.bin")]
    [InlineData("http://mirror.local/whisper/", "tiny-q8_0", "http://mirror.local/whisper/ggml-tiny-q8_0.bin")]
    [InlineData(
        "https://huggingface.co/ggerganov/whisper.cpp/resolve/main",
        "large-v3-turbo",
        "https://huggingface.co/ggerganov/whisper.cpp/resolve/main/ggml-large-v3-turbo.bin"
    )]
    [InlineData(
        "https://huggingface.co/ggerganov/whisper.cpp/resolve/main",
        "small.en-tdrz",
        "https://huggingface.co/akashmjn/tinydiarize-whisper.cpp/resolve/main/ggml-small.en-tdrz.bin"
    )]
    [InlineData("http://mirror.local/whisper", "small.en-tdrz", "http://mirror.local/whisper/ggml-small.en-tdrz.bin")]
    public void I_can_see_where_a_model_is_downloaded_from(string baseUrl, string model, string expected)
    {
        // Arrange
        var store = TestModels.Store("/tmp/unused", new Uri(baseUrl));

        // Act
        var url = store.GetDownloadUrl(ModelCatalog.Resolve(model, null).Model);

        // Assert
        Assert.Equal(expected, url.AbsoluteUri);
    }
}
