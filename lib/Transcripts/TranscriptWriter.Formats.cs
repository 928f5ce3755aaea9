using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Cast2md.Json;

namespace Cast2md.Transcripts;

public static partial class TranscriptWriter
{
    // Markdown as the original cast2md writes it: **[MM:SS]** (HH:MM:SS from one hour) before each segment, a blank line between.
    private static string WriteMarkdown(Transcript transcript, TranscriptWriteOptions options)
    {
        var blocks = new List<string>();
        if (transcript.Title is { } title && !string.IsNullOrWhiteSpace(title))
            blocks.Add("# " + OneLine(title));

        // A publisher transcript names its source instead of a detected language (upstream formats.py).
        if (transcript.IsFromPublisher)
        {
            blocks.Add(transcript.HasTimestamps ? "*Source: Downloaded from publisher*" : "*Source: Downloaded from publisher (no timestamps)*");
        }
        else if (transcript.Language is { } language && !string.IsNullOrWhiteSpace(language))
        {
            blocks.Add(
                transcript.LanguageProbability is { } probability
                    ? Invariant($"*Language: {language.Trim()} ({probability * 100:0.0}% confidence)*")
                    : $"*Language: {language.Trim()}*"
            );
        }

        if (transcript.Note is { } note && !string.IsNullOrWhiteSpace(note))
            blocks.Add($"*{OneLine(note)}*");

        var body =
            !transcript.HasTimestamps ? UntimedParagraphs(transcript)
            : options.IncludeTimestamps ? [.. WrittenSegments(transcript).Select(s => $"**[{MarkdownStamp(s.StartMs)}]** {s.Text}")]
            : Paragraphs(transcript);
        if (body.Count == 0 && transcript.IsFromPublisher)
            body.Add("*No transcript content available*");
        blocks.AddRange(body);

        return JoinBlocks(blocks);
    }

    /// <summary>Start truncated to whole seconds: MM:SS below one hour, HH:MM:SS from one hour on.</summary>
    internal static string MarkdownStamp(long milliseconds)
    {
        var seconds = Math.Max(0, milliseconds) / 1000;
        var (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
        return h > 0 ? Invariant($"{h:00}:{m:00}:{s:00}") : Invariant($"{m:00}:{s:00}");
    }

    // SRT has no comments, so a note (and the title) cannot be written; times are HH:MM:SS,mmm.
    // A transcript without timestamps has no cues to write (as upstream, whose export finds no stamped lines).
    private static string WriteSrt(Transcript transcript) =>
        !transcript.HasTimestamps
            ? ""
            : JoinBlocks(WrittenSegments(transcript).Select((s, i) => $"{i + 1}\n{CueTime(s.StartMs, ',')} --> {CueTime(s.EndMs, ',')}\n{s.Text}"));

    // WebVTT: a note becomes a NOTE block; cue text escapes &, < and > as the spec requires.
    private static string WriteVtt(Transcript transcript)
    {
        var blocks = new List<string> { "WEBVTT" };
        if (transcript.Note is { } note && !string.IsNullOrWhiteSpace(note))
            blocks.Add("NOTE " + OneLine(note).Replace("-->", "->", StringComparison.Ordinal));
        if (!transcript.HasTimestamps)
        {
            // Inventing times would mislead players; say why the file has no cues instead.
            blocks.Add("NOTE The source transcript has no timestamps; see the Markdown or text output for its text.");
            return JoinBlocks(blocks);
        }

        blocks.AddRange(WrittenSegments(transcript).Select(s => $"{CueTime(s.StartMs, '.')} --> {CueTime(s.EndMs, '.')}\n{EscapeVtt(s.Text)}"));
        return JoinBlocks(blocks);
    }

    internal static string CueTime(long milliseconds, char separator)
    {
        var ms = Math.Max(0, milliseconds);
        return Invariant($"{ms / 3_600_000:00}:{ms / 60_000 % 60:00}:{ms / 1000 % 60:00}{separator}{ms % 1000:000}");
    }

    private static string EscapeVtt(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);

    private static string WriteJson(Transcript transcript)
    {
        using var buffer = new MemoryStream();
        using (
            var writer = new Utf8JsonWriter(
                buffer,
                new JsonWriterOptions
                {
                    Indented = true,
                    NewLine = "\n",
                    // A file for people and tools, not HTML: keep "ü" and "東京" readable instead of \u-escaped.
                    Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
                }
            )
        )
        {
            JsonSerializer.Serialize(writer, TranscriptJsonDocument.From(transcript), Cast2mdJsonContext.Default.TranscriptJsonDocument);
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    // Plain text: only the spoken words, in sentence paragraphs; a note stands in for missing speech.
    private static string WriteText(Transcript transcript)
    {
        var blocks = new List<string>();
        if (transcript.Note is { } note && !string.IsNullOrWhiteSpace(note))
            blocks.Add(OneLine(note));
        blocks.AddRange(transcript.HasTimestamps ? Paragraphs(transcript) : UntimedParagraphs(transcript));
        return JoinBlocks(blocks);
    }
}
