using System.Globalization;
using System.Text.Json;

namespace Cast2md.Transcripts.Publisher;

/// <summary>
/// Podcasting 2.0 JSON transcripts: <c>{"version": "1.0.0", "segments": [...]}</c> or a bare array. Each segment has
/// <c>startTime</c>/<c>endTime</c> (seconds) and <c>body</c>; the variants <c>start</c>/<c>end</c>, <c>startMs</c>/<c>endMs</c>
/// and <c>text</c>/<c>content</c> are read too, numbers may be strings, and <c>speaker</c> is kept.
/// </summary>
internal static class JsonTranscriptParser
{
    public static List<TimedCue> Parse(string content)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(
                content,
                new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip }
            );
        }
        catch (JsonException ex)
        {
            throw new PublisherTranscriptException(
                $"The JSON transcript is malformed (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): {ex.Message}",
                ex
            );
        }

        using (document)
        {
            var root = document.RootElement;
            var segments = root.ValueKind switch
            {
                JsonValueKind.Array => root,
                JsonValueKind.Object when Property(root, "segments") is { ValueKind: JsonValueKind.Array } list => list,
                _ => default,
            };
            var cues = new List<TimedCue>();
            if (segments.ValueKind != JsonValueKind.Array)
                return cues;

            foreach (var item in segments.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object)
                    continue;
                var text = String(item, "body") ?? String(item, "text") ?? String(item, "content");
                if (text is null || CueParser.Clean(text) is not { Length: > 0 } clean)
                    continue;
                var start = Milliseconds(item, "startTime", "start", "startMs") ?? 0;
                var end = Milliseconds(item, "endTime", "end", "endMs") ?? start;
                var speaker = String(item, "speaker") is { } name && CueParser.Clean(name) is { Length: > 0 } s ? s : null;
                cues.Add(new TimedCue(start, Math.Max(start, end), clean, speaker));
            }

            return cues;
        }
    }

    private static JsonElement? Property(JsonElement item, string name)
    {
        foreach (var property in item.EnumerateObject())
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                return property.Value;
        return null;
    }

    private static string? String(JsonElement item, string name) =>
        Property(item, name) switch
        {
            { ValueKind: JsonValueKind.String } value => value.GetString(),
            { ValueKind: JsonValueKind.Number } value => value.GetRawText(),
            _ => null,
        };

    private static long? Milliseconds(JsonElement item, string seconds, string shortSeconds, string milliseconds)
    {
        if (Number(item, seconds) is { } s1)
            return ToMs(s1 * 1000);
        if (Number(item, shortSeconds) is { } s2)
            return ToMs(s2 * 1000);
        return Number(item, milliseconds) is { } ms ? ToMs(ms) : null;
    }

    private static long? ToMs(double value) => double.IsFinite(value) && value >= 0 && value < 1e12 ? (long)Math.Round(value) : null;

    private static double? Number(JsonElement item, string name) =>
        Property(item, name) switch
        {
            { ValueKind: JsonValueKind.Number } value when value.TryGetDouble(out var number) => number,
            { ValueKind: JsonValueKind.String } value
                when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => number,
            _ => null,
        };
}
