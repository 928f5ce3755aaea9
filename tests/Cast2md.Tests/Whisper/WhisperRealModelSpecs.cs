using System.Text.RegularExpressions;
using Cast2md.Tests.Infra;
using Cast2md.Whisper;
using Xunit;

namespace Cast2md.Tests.Whisper;

/// <summary>The real multilingual tiny model on jfk.wav: the words must be right.</summary>
[Collection(WhisperNativeCollection.Name)]
public sealed partial class WhisperRealModelSpecs
{
    [Fact]
    public void I_can_transcribe_jfk_with_the_real_model_and_get_the_reference_words_and_english_detected()
    {
        // Arrange
        using var model = WhisperModel.Load(Paths.RealModel);
        using var session = model.CreateSession();
        var samples = WavFile.Read16kMono(Paths.JfkWav);

        // Act
        var result = session.Transcribe(samples, new WhisperRunOptions { Language = "auto" });

        // Assert
        Assert.True(model.IsMultilingual);
        Assert.Equal(Words(Paths.JfkReference), Words(string.Concat(result.Segments.Select(s => s.Text))));
        Assert.Equal("en", result.Language);
        Assert.NotNull(result.LanguageProbability);
        Assert.True(result.LanguageProbability > 0.5f, $"p(en) = {result.LanguageProbability}");
        Assert.InRange(result.Segments[^1].EndMs, 9_000, 11_100);
    }

    [Fact]
    public void I_can_transcribe_jfk_greedily_with_english_given_and_get_the_reference_words()
    {
        // Arrange
        using var model = WhisperModel.Load(Paths.RealModel);
        using var session = model.CreateSession();
        var samples = WavFile.Read16kMono(Paths.JfkWav);

        // Act
        var result = session.Transcribe(samples, new WhisperRunOptions { Language = "en", BeamSize = 1 });

        // Assert
        Assert.Equal(Words(Paths.JfkReference), Words(string.Concat(result.Segments.Select(s => s.Text))));
        Assert.Equal("en", result.Language);
        Assert.Null(result.LanguageProbability);
    }

    private static string[] Words(string text) =>
        NotWordCharacters().Replace(text.ToLowerInvariant(), " ").Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [GeneratedRegex(@"[^\p{L}\p{N}']+")]
    private static partial Regex NotWordCharacters();
}
