using Cast2md.Models;
using Xunit;

namespace Cast2md.Tests.Models;

public class ModelSettingsSpecs
{
    [Fact]
    public void I_can_configure_the_models_directory_and_base_url_with_variables()
    {
        // Arrange
        var variables = new Dictionary<string, string>
        {
            ["CAST2MD_MODELS_DIR"] = "/srv/cast2md/models",
            ["CAST2MD_MODEL_BASE_URL"] = "http://127.0.0.1:8080/mirror",
        };

        // Act
        var settings = ModelSettings.FromVariables(variables.GetValueOrDefault);

        // Assert
        Assert.Equal(Path.GetFullPath("/srv/cast2md/models"), settings.ModelsDirectory);
        Assert.Equal(new Uri("http://127.0.0.1:8080/mirror"), settings.BaseUrl);
    }

    [Fact]
    public void I_can_leave_the_variables_unset_and_get_the_home_directory_and_whisper_cpp_repository()
    {
        // Act
        var settings = ModelSettings.FromVariables(_ => null);

        // Assert
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        Assert.Equal(Path.Combine(home, ".cast2md", "models"), settings.ModelsDirectory);
        Assert.Equal("https://huggingface.co/ggerganov/whisper.cpp/resolve/main", settings.BaseUrl.AbsoluteUri);
    }

    [Fact]
    public void I_can_give_a_models_directory_under_the_home_directory_with_a_tilde()
    {
        // Act
        var settings = ModelSettings.FromVariables(name => name == "CAST2MD_MODELS_DIR" ? "~/whisper" : null);

        // Assert
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        Assert.Equal(Path.GetFullPath(Path.Combine(home, "whisper")), settings.ModelsDirectory);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://example.org/models")]
    public void I_can_try_to_configure_an_invalid_base_url_and_get_an_error(string url)
    {
        // Act
        var ex = Assert.Throws<ModelException>(() => ModelSettings.FromVariables(name => name == "CAST2MD_MODEL_BASE_URL" ? url : null));

        // Assert
        Assert.Contains("CAST2MD_MODEL_BASE_URL", ex.Message);
        Assert.Contains(url, ex.Message);
    }
}
