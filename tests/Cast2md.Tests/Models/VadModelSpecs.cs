using Cast2md.Models;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.Models;

/// <summary>The voice-activity model in the catalogue: downloaded and verified like a Whisper model, never taken for one.</summary>
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed class VadModelSpecs
{
    [Fact]
    public void I_can_find_silero_in_the_catalogue_with_its_published_size_and_sha256()
    {
        // Act
        var model = ModelCatalog.FindVoiceActivityModel("silero-v6.2.0");

        // Assert
        Assert.Equal(
            new ModelInfo(
                "silero-v6.2.0",
                "ggml-silero-v6.2.0.bin",
                885_098,
                "2aa269b785eeb53a82983a20501ddf7c1d9c48e33ab63a41391ac6c9f7fb6987",
                null
            )
            {
                IsVoiceActivityModel = true,
            },
            model
        );
        Assert.Same(model, ModelCatalog.FindVoiceActivityModel("ggml-silero-v6.2.0.bin"));
        Assert.Equal(model!.Sha256, TestModels.Sha256Of(Paths.VadModel));
    }

    [Fact]
    public void I_get_silero_downloaded_from_the_official_whisper_vad_repository_unless_a_mirror_is_set()
    {
        // Arrange
        var model = ModelCatalog.FindVoiceActivityModel("silero-v6.2.0")!;
        var official = new ModelStore(new ModelSettings { ModelsDirectory = "/tmp/models", BaseUrl = ModelSettings.DefaultBaseUrl });
        var mirror = TestModels.Store("/tmp/models", new Uri("http://127.0.0.1:9/mirror"));

        // Act
        var officialUrl = official.GetDownloadUrl(model);
        var mirrorUrl = mirror.GetDownloadUrl(model);

        // Assert
        Assert.Equal("https://huggingface.co/ggml-org/whisper-vad/resolve/main/ggml-silero-v6.2.0.bin", officialUrl.ToString());
        Assert.Equal("http://127.0.0.1:9/mirror/ggml-silero-v6.2.0.bin", mirrorUrl.ToString());
    }

    [Theory]
    [InlineData("silero-v6.2.0")]
    [InlineData("ggml-silero-v6.2.0.bin")]
    public void I_get_a_sentence_when_i_take_the_vad_model_for_a_whisper_model(string name)
    {
        // Act
        var error = Assert.Throws<ModelException>(() => ModelCatalog.Resolve(name, "int8"));

        // Assert
        Assert.StartsWith(
            $"'{name}' is the voice-activity model, not a Whisper model: it belongs in WHISPER_VAD_MODEL (--vad-model).",
            error.Message
        );
        Assert.DoesNotContain("silero", ModelCatalog.ValidNamesHint());
        Assert.DoesNotContain(ModelCatalog.All, m => m.IsVoiceActivityModel);
    }

    [Fact]
    public async Task I_get_a_sentence_when_i_give_an_installed_vad_file_as_the_whisper_model()
    {
        // Arrange
        using var dir = TempDir.Create();
        var store = TestModels.Store(dir.Path, new Uri("http://127.0.0.1:9/models"));
        File.Copy(Paths.VadModel, dir.Combine("ggml-silero-v6.2.0.bin"));

        // Act
        var error = await Assert.ThrowsAsync<ModelException>(() => store.ResolveAsync(dir.Combine("ggml-silero-v6.2.0.bin"), "int8"));

        // Assert
        Assert.Contains("is the voice-activity model, not a Whisper model", error.Message);
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_resolve_the_vad_model_by_name_and_get_it_downloaded_once_and_verified()
    {
        // Arrange
        using var dir = TempDir.Create();
        await using var server = TestModels.Serve();
        var store = TestModels.Store(dir.Combine("models"), server.BaseUrl());
        var notices = new List<string>();

        // Act
        var first = await store.ResolveVoiceActivityAsync("silero-v6.2.0", onNotice: notices.Add);
        var second = await store.ResolveVoiceActivityAsync("silero-v6.2.0");
        var installed = store.ListInstalled();

        // Assert
        Assert.Equal(dir.Combine("models", "ggml-silero-v6.2.0.bin"), first);
        Assert.Equal(first, second);
        Assert.Single(server.RequestsTo("/models/ggml-silero-v6.2.0.bin"));
        Assert.Contains("SHA-256", Assert.Single(notices));
        Assert.True(Assert.Single(installed).CatalogEntry?.IsVoiceActivityModel);
    }

    [Theory]
    [InlineData("silero-v5", "Unknown voice-activity model 'silero-v5'.")]
    [InlineData("/nowhere/silero.bin", "Voice-activity model file not found: /nowhere/silero.bin.")]
    public async Task I_get_a_sentence_for_a_vad_model_that_is_neither_in_the_catalogue_nor_a_file(string name, string expected)
    {
        // Arrange
        using var dir = TempDir.Create();
        var store = TestModels.Store(dir.Path, new Uri("http://127.0.0.1:9/models"));

        // Act
        var error = await Assert.ThrowsAsync<ModelException>(() => store.ResolveVoiceActivityAsync(name));

        // Assert
        Assert.StartsWith(expected, error.Message);
    }

    [Fact(Timeout = 60_000)]
    public async Task I_can_download_list_and_remove_the_vad_model_with_the_model_commands()
    {
        // Arrange
        await using var server = TestModels.Serve();
        using var dir = TempDir.Create();
        var environment = new Dictionary<string, string?>
        {
            ["CAST2MD_MODEL_BASE_URL"] = server.BaseUrl().ToString(),
            ["CAST2MD_MODELS_DIR"] = dir.Combine("models"),
        };

        // Act
        var download = await Cast2mdBinary.RunAsync(environment, "model", "download", "silero-v6.2.0", "--progress", "none");
        var list = await Cast2mdBinary.RunAsync(environment, "model", "list");
        var removed = await Cast2mdBinary.RunAsync(environment, "model", "rm", "silero-v6.2.0");

        // Assert
        Assert.True(download.ExitCode == 0, download.StandardError);
        Assert.Equal(dir.Combine("models", "ggml-silero-v6.2.0.bin"), download.StandardOutput.Trim());
        var lines = list.StandardOutput.Split('\n');
        var heading = Array.FindIndex(lines, l => l.StartsWith("VOICE-ACTIVITY MODEL", StringComparison.Ordinal));
        Assert.True(heading > 0, list.StandardOutput);
        Assert.Matches(@"^silero-v6\.2\.0\s+ggml-silero-v6\.2\.0\.bin\s+864 KiB\s+yes$", lines[heading + 1]);
        Assert.DoesNotContain(lines[..heading], l => l.Contains("silero", StringComparison.Ordinal));
        Assert.True(removed.ExitCode == 0, removed.StandardError);
        Assert.False(File.Exists(dir.Combine("models", "ggml-silero-v6.2.0.bin")));
    }
}
