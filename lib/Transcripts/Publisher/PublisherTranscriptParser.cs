using System.Text.Json;

namespace Cast2md.Transcripts.Publisher;

/// <summary>
/// Turns a transcript downloaded from the publisher (Podcasting 2.0 <c>podcast:transcript</c>) into a
/// <see cref="Transcript"/>: WebVTT, SRT and JSON become timed phrases (word-level cues merged), plain text and
/// HTML become untimed paragraphs (<see cref="Transcript.HasTimestamps"/> false).
/// </summary>
public static class PublisherTranscriptParser
{
    /// <summary>
    /// Parses <paramref name="content"/>, choosing the format from <paramref name="mimeType"/>, else the extension of
    /// <paramref name="url"/>, else the content itself. Content with nothing usable gives a transcript without
    /// segments; the caller sets <see cref="Transcript.Title"/>.
    /// </summary>
    /// <exception cref="PublisherTranscriptException">JSON was declared (by type or extension) but is malformed.</exception>
    public static Transcript Parse(string content, string? mimeType, string? url)
    {
        ArgumentNullException.ThrowIfNull(content);
        var text = content.TrimStart('\uFEFF');
        var format = Detect(text, mimeType, url);
        return format switch
        {
            PublisherTranscriptFormat.Vtt or PublisherTranscriptFormat.Srt => Timed(CueParser.Parse(text), format, text),
            PublisherTranscriptFormat.Json => Timed(JsonTranscriptParser.Parse(text), format, text),
            PublisherTranscriptFormat.Html => Untimed(HtmlTranscriptParser.Paragraphs(text), format),
            _ => Untimed(TextParagraphs(text), PublisherTranscriptFormat.Text),
        };
    }

    /// <summary>The "podcast2.0:…" value of <see cref="Transcript.Source"/> for a format.</summary>
    public static string SourceOf(PublisherTranscriptFormat format) => "podcast2.0:" + format.ToString().ToLowerInvariant();

    /// <summary>The format by MIME type, then URL extension, then sniffing (WEBVTT header, SRT timing lines, JSON, HTML tags).</summary>
    public static PublisherTranscriptFormat Detect(string content, string? mimeType, string? url) =>
        FromMimeType(mimeType) ?? FromUrl(url) ?? Sniff(content);

    // Generic types (text/plain, octet-stream) say little: many servers send VTT as text/plain, so those fall through.
    private static PublisherTranscriptFormat? FromMimeType(string? mimeType)
    {
        var type = mimeType?.Split(';')[0].Trim().ToLowerInvariant() ?? "";
        if (type.Contains("vtt", StringComparison.Ordinal))
            return PublisherTranscriptFormat.Vtt;
        if (type.Contains("srt", StringComparison.Ordinal) || type.Contains("subrip", StringComparison.Ordinal))
            return PublisherTranscriptFormat.Srt;
        if (type.Contains("json", StringComparison.Ordinal))
            return PublisherTranscriptFormat.Json;
        if (type.Contains("html", StringComparison.Ordinal))
            return PublisherTranscriptFormat.Html;
        return null;
    }

    private static PublisherTranscriptFormat? FromUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
            return null;
        var path = url.Split('?', '#')[0].ToLowerInvariant();
        return Path.GetExtension(path) switch
        {
            ".vtt" => PublisherTranscriptFormat.Vtt,
            ".srt" => PublisherTranscriptFormat.Srt,
            ".json" => PublisherTranscriptFormat.Json,
            ".html" or ".htm" => PublisherTranscriptFormat.Html,
            ".txt" => PublisherTranscriptFormat.Text,
            _ => null,
        };
    }

    private static PublisherTranscriptFormat Sniff(string content)
    {
        var text = content.TrimStart();
        if (text.StartsWith("WEBVTT", StringComparison.Ordinal))
            return PublisherTranscriptFormat.Vtt;
        if (text.Length > 0 && text[0] is '{' or '[' && IsJson(text))
            return PublisherTranscriptFormat.Json;
        var head = text[..Math.Min(text.Length, 4096)];
        foreach (var line in head.ReplaceLineEndings("\n").Split('\n').Take(20))
            if (CueParser.TryTiming(line.Trim(), out _, out _))
                return line.Contains(',', StringComparison.Ordinal) ? PublisherTranscriptFormat.Srt : PublisherTranscriptFormat.Vtt;
        if (
            head.Contains("<html", StringComparison.OrdinalIgnoreCase)
            || head.Contains("<body", StringComparison.OrdinalIgnoreCase)
            || head.Contains("<p>", StringComparison.OrdinalIgnoreCase)
            || head.Contains("<p ", StringComparison.OrdinalIgnoreCase)
            || head.Contains("<!DOCTYPE html", StringComparison.OrdinalIgnoreCase)
        )
            return PublisherTranscriptFormat.Html;
        return PublisherTranscriptFormat.Text;
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // A "VTT" or "SRT" without a single timing line is prose served under the wrong type: read it as text
    // (upstream falls back the same way). A real subtitle file with no cues stays empty.
    private static Transcript Timed(List<TimedCue> cues, PublisherTranscriptFormat format, string content)
    {
        if (
            cues.Count == 0
            && format != PublisherTranscriptFormat.Json
            && !content.Contains("-->", StringComparison.Ordinal)
            && !content.TrimStart().StartsWith("WEBVTT", StringComparison.Ordinal)
        )
            return Untimed(TextParagraphs(content), PublisherTranscriptFormat.Text);
        return new Transcript(PhraseMerger.Merge(cues)) { Source = SourceOf(format) };
    }

    private static Transcript Untimed(List<string> paragraphs, PublisherTranscriptFormat format) =>
        new([.. paragraphs.Select(p => new TranscriptSegment(0, 0, p))]) { Source = SourceOf(format), HasTimestamps = false };

    /// <summary>Paragraphs separated by blank lines; lines within one are joined with spaces.</summary>
    internal static List<string> TextParagraphs(string content)
    {
        var paragraphs = new List<string>();
        var current = new List<string>();
        foreach (var line in content.ReplaceLineEndings("\n").Split('\n'))
        {
            if (line.Trim().Length == 0)
            {
                Add();
                continue;
            }

            current.Add(line);
        }

        Add();
        return paragraphs;

        void Add()
        {
            // No entity decoding here: "&amp;" in plain text is what the publisher wrote.
            var text = Collapse(string.Join(' ', current));
            if (text.Length > 0)
                paragraphs.Add(text);
            current.Clear();
        }
    }

    private static string Collapse(string text) =>
        string.Join(
            ' ',
            text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
                .Select(w => new string([.. w.Where(c => !char.IsControl(c))]))
                .Where(w => w.Length > 0)
        );
}
