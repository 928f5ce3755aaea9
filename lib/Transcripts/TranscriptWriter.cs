using System.Globalization;
using System.Text;

namespace Cast2md.Transcripts;

/// <summary>Writes a <see cref="Transcript"/> as Markdown, SRT, WebVTT, JSON or plain text.</summary>
/// <remarks>
/// Every format is built from the millisecond segments. Segment text is trimmed, line breaks inside it
/// become spaces, and segments whose text is empty are left out. Output uses "\n" line endings and ends
/// with a single newline.
/// </remarks>
public static partial class TranscriptWriter
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The transcript in <paramref name="format"/>.</summary>
    public static string Write(Transcript transcript, TranscriptFormat format, TranscriptWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        options ??= new TranscriptWriteOptions();
        return format switch
        {
            TranscriptFormat.Md => WriteMarkdown(transcript, options),
            TranscriptFormat.Srt => WriteSrt(transcript),
            TranscriptFormat.Vtt => WriteVtt(transcript),
            TranscriptFormat.Json => WriteJson(transcript),
            TranscriptFormat.Txt => WriteText(transcript),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown transcript format."),
        };
    }

    /// <summary>
    /// Writes the transcript to <paramref name="path"/> (creating its folder): first to a temporary file in
    /// the same folder, then renamed over the target, so a failure or cancellation leaves nothing half-written.
    /// </summary>
    public static async Task WriteFileAsync(
        Transcript transcript,
        TranscriptFormat format,
        string path,
        TranscriptWriteOptions? options = null,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var content = Write(transcript, format, options);
        await Files.AtomicFile.WriteAllBytesAsync(Path.GetFullPath(path), Utf8NoBom.GetBytes(content), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The segments every format writes: text trimmed and on one line, empty ones left out.</summary>
    internal static IEnumerable<TranscriptSegment> WrittenSegments(Transcript transcript) =>
        transcript.Segments.Select(s => s with { Text = OneLine(s.Text) }).Where(s => s.Text.Length > 0);

    private static string OneLine(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? ""
            : string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Trim();

    /// <summary>Segments joined into paragraphs, each ending at a segment that ends in '.', '!' or '?'.</summary>
    internal static List<string> Paragraphs(Transcript transcript)
    {
        var paragraphs = new List<string>();
        var current = new StringBuilder();
        foreach (var segment in WrittenSegments(transcript))
        {
            if (current.Length > 0)
                current.Append(' ');
            current.Append(segment.Text);
            if (segment.Text[^1] is '.' or '!' or '?')
            {
                paragraphs.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
            paragraphs.Add(current.ToString());
        return paragraphs;
    }

    /// <summary>An untimed transcript's segments are its paragraphs already (plain-text and HTML publisher transcripts).</summary>
    internal static List<string> UntimedParagraphs(Transcript transcript) => [.. WrittenSegments(transcript).Select(s => s.Text)];

    /// <summary>Blocks separated by one blank line, ending with a single newline.</summary>
    private static string JoinBlocks(IEnumerable<string> blocks)
    {
        var text = string.Join("\n\n", blocks);
        return text.Length == 0 ? "" : text + "\n";
    }

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
