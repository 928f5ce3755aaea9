using System.Text.Json;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.Transcription;

/// <summary>Transcribes with the published ./bin/cast2md to a JSON transcript and reads its segments and words back.</summary>
internal static class JsonTranscripts
{
    /// <summary>Runs <c>transcribe AUDIO -o X.json --threads 2 OPTIONS</c>; fails the spec unless it exits 0.</summary>
    public static async Task<JsonElement> TranscribeAsync(TempDir dir, string audio, params string[] options)
    {
        var output = dir.Combine($"{Path.GetFileNameWithoutExtension(audio)}-{Guid.NewGuid():N}.json");
        var result = await Cast2mdBinary.RunAsync(["transcribe", audio, "-o", output, "--threads", "2", .. options]);
        Assert.True(result.ExitCode == 0, result.StandardError);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(output));
        return json.RootElement.Clone();
    }

    public static List<(long StartMs, string Text)> Segments(JsonElement transcript) =>
        [
            .. transcript
                .GetProperty("segments")
                .EnumerateArray()
                .Select(s => (s.GetProperty("start_ms").GetInt64(), s.GetProperty("text").GetString()!)),
        ];

    /// <summary>Every word said, lower case, without punctuation.</summary>
    public static string WordsOf(JsonElement transcript) => Words.Normalize(string.Join(' ', Segments(transcript).Select(s => s.Text)));
}
