using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.CommandLine;

/// <summary>Named models are fetched on first use from $CAST2MD_MODEL_BASE_URL (here a loopback server over ../shared/models).</summary>
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed class ModelCommandSpecs
{
    [Fact(Timeout = 60_000)]
    public async Task I_can_transcribe_with_a_named_model_that_is_downloaded_verified_and_kept_on_first_use()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        server.MapDirectory("/models", Path.Combine(Paths.Shared, "models"));
        using var dir = TempDir.Create();
        var environment = new Dictionary<string, string?>
        {
            ["CAST2MD_MODEL_BASE_URL"] = server.Url("/models/").ToString(),
            ["CAST2MD_MODELS_DIR"] = dir.Combine("models"),
        };

        // Act
        var first = await Cast2mdBinary.RunAsync(environment, "transcribe", Paths.JfkWav, "--model", "tiny", "--compute-type", "int8", "-f", "txt");
        var second = await Cast2mdBinary.RunAsync(environment, "transcribe", Paths.JfkWav, "--model", "tiny", "--compute-type", "int8", "-f", "txt");
        var list = await Cast2mdBinary.RunAsync(environment, "model", "list", "--installed");
        var removed = await Cast2mdBinary.RunAsync(environment, "model", "rm", "tiny", "--compute-type", "int8");

        // Assert
        Assert.True(first.ExitCode == 0, first.StandardError);
        Assert.Equal(Words.Normalize(Paths.JfkReference), Words.Normalize(first.StandardOutput));
        Assert.Single(server.RequestsTo("/models/ggml-tiny-q8_0.bin"));
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("ggml-tiny-q8_0.bin", list.StandardOutput);
        Assert.Equal(0, removed.ExitCode);
        Assert.False(File.Exists(dir.Combine("models", "ggml-tiny-q8_0.bin")));
    }

    [Fact(Timeout = 30_000)]
    public async Task I_get_a_clear_error_naming_the_url_when_a_model_cannot_be_downloaded()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        using var dir = TempDir.Create();
        var environment = new Dictionary<string, string?>
        {
            ["CAST2MD_MODEL_BASE_URL"] = server.Url("/nothing-here/").ToString(),
            ["CAST2MD_MODELS_DIR"] = dir.Combine("models"),
        };

        // Act
        var result = await Cast2mdBinary.RunAsync(environment, "model", "download", "base.en");

        // Assert
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("ggml-base.en", result.StandardError);
        Assert.Contains("404", result.StandardError);
        Assert.False(File.Exists(dir.Combine("models", "ggml-base.en-q8_0.bin")));
    }
}
