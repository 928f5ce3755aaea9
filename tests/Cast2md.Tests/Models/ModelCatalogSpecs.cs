using Cast2md.Models;
using Xunit;

namespace Cast2md.Tests.Models;

public class ModelCatalogSpecs
{
    [Fact]
    public void I_can_resolve_tiny_with_int8_to_the_q8_0_file()
    {
        // Act
        var selection = ModelCatalog.Resolve("tiny", "int8");

        // Assert
        Assert.Equal("ggml-tiny-q8_0.bin", selection.Model.FileName);
        Assert.Equal("c2085835d3f50733e2ff6e4b41ae8a2b8d8110461e18821b09a15c40c42d1cca", selection.Model.Sha256);
        Assert.Null(selection.Notice);
    }

    [Fact]
    public void I_can_resolve_large_v3_turbo_with_float16_to_the_f16_file()
    {
        // Act
        var selection = ModelCatalog.Resolve("large-v3-turbo", "float16");

        // Assert
        Assert.Equal("ggml-large-v3-turbo.bin", selection.Model.FileName);
        Assert.Null(selection.Notice);
    }

    [Fact]
    public void I_can_resolve_the_default_model_and_compute_type_to_large_v3_turbo_q8_0()
    {
        // Act
        var selection = ModelCatalog.Resolve(ModelCatalog.DefaultModel, ModelCatalog.DefaultComputeType);

        // Assert
        Assert.Equal("ggml-large-v3-turbo-q8_0.bin", selection.Model.FileName);
        Assert.Null(selection.Notice);
    }

    [Theory]
    [InlineData("large-v1", "int8", "ggml-large-v1.bin")]
    [InlineData("large-v3", "int8", "ggml-large-v3-q5_0.bin")]
    [InlineData("base.en", "int8_float16", "ggml-base.en-q5_1.bin")]
    [InlineData("medium", "q5_1", "ggml-medium-q5_0.bin")]
    [InlineData("tiny", "q5_0", "ggml-tiny-q5_1.bin")]
    [InlineData("small.en-tdrz", "int8", "ggml-small.en-tdrz.bin")]
    public void I_can_resolve_a_model_without_the_asked_variant_and_get_the_nearest_file_with_a_notice(
        string model,
        string computeType,
        string expectedFile
    )
    {
        // Act
        var selection = ModelCatalog.Resolve(model, computeType);

        // Assert
        Assert.Equal(expectedFile, selection.Model.FileName);
        Assert.NotNull(selection.Notice);
        Assert.Contains(model, selection.Notice);
        Assert.Contains(expectedFile, selection.Notice);
        Assert.DoesNotContain('\n', selection.Notice);
    }

    [Theory]
    [InlineData("int8", "ggml-base-q8_0.bin")]
    [InlineData("INT8_FLOAT32", "ggml-base-q8_0.bin")]
    [InlineData("int8_bfloat16", "ggml-base-q8_0.bin")]
    [InlineData("q8_0", "ggml-base-q8_0.bin")]
    [InlineData("float16", "ggml-base.bin")]
    [InlineData("float32", "ggml-base.bin")]
    [InlineData("default", "ggml-base.bin")]
    [InlineData("auto", "ggml-base.bin")]
    [InlineData("f16", "ggml-base.bin")]
    [InlineData("", "ggml-base.bin")]
    [InlineData(null, "ggml-base.bin")]
    [InlineData("q5_1", "ggml-base-q5_1.bin")]
    [InlineData("int5", "ggml-base-q5_1.bin")]
    public void I_can_resolve_every_compute_type_to_its_file_variant(string? computeType, string expectedFile)
    {
        // Act
        var selection = ModelCatalog.Resolve("base", computeType);

        // Assert
        Assert.Equal(expectedFile, selection.Model.FileName);
        Assert.Null(selection.Notice);
    }

    [Fact]
    public void I_can_resolve_a_compute_type_ggml_lacks_and_get_the_f16_file_with_a_notice()
    {
        // Act
        var selection = ModelCatalog.Resolve("small", "bfloat16");

        // Assert
        Assert.Equal("ggml-small.bin", selection.Model.FileName);
        Assert.Contains("bfloat16", selection.Notice);
    }

    [Theory]
    [InlineData("tiny-q8_0", "float16", "ggml-tiny-q8_0.bin")]
    [InlineData("ggml-tiny-q8_0.bin", "float16", "ggml-tiny-q8_0.bin")]
    [InlineData("ggml-tiny-q8_0", null, "ggml-tiny-q8_0.bin")]
    [InlineData("tiny-q8_0.bin", "int8", "ggml-tiny-q8_0.bin")]
    [InlineData("Large-V3-Turbo-Q5_0", "int8", "ggml-large-v3-turbo-q5_0.bin")]
    [InlineData("ggml-tiny.bin", "int8", "ggml-tiny.bin")]
    [InlineData(" tiny.en ", "float16", "ggml-tiny.en.bin")]
    public void I_can_resolve_a_catalogue_file_name_directly_whatever_the_compute_type(string name, string? computeType, string expectedFile)
    {
        // Act
        var selection = ModelCatalog.Resolve(name, computeType);

        // Assert
        Assert.Equal(expectedFile, selection.Model.FileName);
        Assert.Null(selection.Notice);
    }

    [Theory]
    [InlineData("turbo", "ggml-large-v3-turbo-q8_0.bin")]
    [InlineData("large", "ggml-large-v3-q5_0.bin")]
    [InlineData("Systran/faster-whisper-large-v3", "ggml-large-v3-q5_0.bin")]
    [InlineData("Systran/faster-whisper-tiny.en", "ggml-tiny.en-q8_0.bin")]
    [InlineData("mlx-community/whisper-large-v3-turbo", "ggml-large-v3-turbo-q8_0.bin")]
    [InlineData("deepdml/faster-whisper-large-v3-turbo-ct2", "ggml-large-v3-turbo-q8_0.bin")]
    [InlineData("openai/whisper-small", "ggml-small-q8_0.bin")]
    [InlineData("distil-large-v3", "ggml-large-v3-turbo-q8_0.bin")]
    [InlineData("distil-whisper/distil-large-v3.5", "ggml-large-v3-turbo-q8_0.bin")]
    [InlineData("Systran/faster-distil-whisper-small.en", "ggml-small.en-q5_1.bin")]
    [InlineData("distil-medium.en", "ggml-medium.en-q5_0.bin")]
    public void I_can_resolve_another_backends_model_name_and_get_ours_with_a_notice(string name, string expectedFile)
    {
        // Act
        var selection = ModelCatalog.Resolve(name, "int8");

        // Assert
        Assert.Equal(expectedFile, selection.Model.FileName);
        Assert.NotNull(selection.Notice);
        Assert.Contains(name, selection.Notice);
    }

    [Theory]
    [InlineData("huge")]
    [InlineData("ggml-huge.bin")]
    [InlineData("Systran/faster-whisper-huge")]
    [InlineData("tiny-q4_0")]
    public void I_can_try_to_resolve_an_unknown_model_and_get_an_error_listing_valid_names(string name)
    {
        // Act
        var ex = Assert.Throws<ModelException>(() => ModelCatalog.Resolve(name, "int8"));

        // Assert
        Assert.Contains($"'{name}'", ex.Message);
        Assert.Contains("tiny, tiny.en, base", ex.Message);
        Assert.Contains("large-v3-turbo", ex.Message);
        Assert.Contains("tiny-q8_0", ex.Message);
    }

    [Fact]
    public void I_can_try_to_resolve_an_unknown_compute_type_and_get_an_error_listing_valid_ones()
    {
        // Act
        var ex = Assert.Throws<ModelException>(() => ModelCatalog.Resolve("tiny", "int3"));

        // Assert
        Assert.Contains("'int3'", ex.Message);
        Assert.Contains("int8", ex.Message);
        Assert.Contains("float16", ex.Message);
    }

    [Fact]
    public void I_can_see_every_file_whisper_cpp_offers_in_the_catalogue()
    {
        // Arrange: models/download-ggml-model.sh of whisper.cpp 1.9.1, plus tiny.en-q8_0 (published, sha256 known)
        string[] upstream =
        [
            "tiny",
            "tiny.en",
            "tiny-q5_1",
            "tiny.en-q5_1",
            "tiny-q8_0",
            "base",
            "base.en",
            "base-q5_1",
            "base.en-q5_1",
            "base-q8_0",
            "small",
            "small.en",
            "small.en-tdrz",
            "small-q5_1",
            "small.en-q5_1",
            "small-q8_0",
            "medium",
            "medium.en",
            "medium-q5_0",
            "medium.en-q5_0",
            "medium-q8_0",
            "large-v1",
            "large-v2",
            "large-v2-q5_0",
            "large-v2-q8_0",
            "large-v3",
            "large-v3-q5_0",
            "large-v3-turbo",
            "large-v3-turbo-q5_0",
            "large-v3-turbo-q8_0",
            "tiny.en-q8_0",
        ];

        // Act
        var names = ModelCatalog.All.Select(m => m.Name).ToArray();

        // Assert
        Assert.Equal(upstream.Order(), names.Order());
        Assert.All(ModelCatalog.All, m => Assert.Equal($"ggml-{m.Name}.bin", m.FileName));
        Assert.Equal(["tiny", "tiny.en", "tiny-q8_0", "tiny.en-q8_0"], ModelCatalog.All.Where(m => m.Sha256 is not null).Select(m => m.Name));
        Assert.All(ModelCatalog.All.Where(m => m.Sha256 is not null), m => Assert.NotNull(m.SizeBytes));
        Assert.Equal(16, ModelCatalog.All.Count(m => m.Sha1 is not null));
        Assert.All(ModelCatalog.All.Where(m => m.Sha256 is not null), m => Assert.Matches("^[0-9a-f]{64}$", m.Sha256));
        Assert.All(ModelCatalog.All.Where(m => m.Sha1 is not null), m => Assert.Matches("^[0-9a-f]{40}$", m.Sha1));
    }

    [Fact]
    public void I_can_find_a_catalogue_entry_by_its_file_name()
    {
        // Act
        var entry = ModelCatalog.FindByFileName("ggml-base.en-q5_1.bin");

        // Assert
        Assert.NotNull(entry);
        Assert.Equal("base.en", entry.BaseName);
        Assert.Equal("q5_1", entry.Quantization);
        Assert.Null(ModelCatalog.FindByFileName("custom.bin"));
    }
}
