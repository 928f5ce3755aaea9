using System.Globalization;
using System.Text.RegularExpressions;

namespace Cast2md.Transcripts;

/// <summary>
/// Reads a Markdown transcript in the original cast2md's shape back into timed segments: <c># Title</c>, an optional
/// <c>*Language: de (98.7% confidence)*</c> line, then <c>**[MM:SS]** text</c> lines (<c>**[HH:MM:SS]**</c> from one
/// hour on). The original's nodes send only this, and its storage folders hold only this; without it every export
/// format of such a transcript would be empty. Stamps are whole seconds, so a segment ends where the next one starts
/// and the last one 5 s after its start, as the original's own exports do.
/// </summary>
public static partial class MarkdownTranscriptReader
{
    /// <summary>How long the last segment is taken to last: the original's exports use the same.</summary>
    public const long LastSegmentMs = 5_000;

    public static Transcript Read(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        string? title = null;
        string? language = null;
        double? probability = null;
        string? note = null;
        var fromPublisher = false;
        var timed = new List<(long StartMs, System.Text.StringBuilder Text)>();
        var paragraphs = new List<string>();
        var paragraph = new System.Text.StringBuilder();

        // One pass over the lines; every pattern is anchored and bounded, so no input can make this loop or backtrack.
        foreach (var raw in markdown.Replace("\r\n", "\n").Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                FlushParagraph();
                continue;
            }
            if (title is null && timed.Count == 0 && paragraphs.Count == 0 && line.StartsWith("# ", StringComparison.Ordinal))
            {
                title = line[2..].Trim();
                continue;
            }
            if (LanguageLine().Match(line) is { Success: true } lang)
            {
                language = lang.Groups["code"].Value.ToLowerInvariant();
                if (double.TryParse(lang.Groups["percent"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var percent))
                    probability = Math.Clamp(percent / 100, 0, 1);
                continue;
            }
            if (line.StartsWith("*Source: ", StringComparison.Ordinal) && line.EndsWith('*'))
            {
                fromPublisher = true;
                continue;
            }
            if (line is "*No transcript content available*" or "*No speech detected*")
            {
                note = line.Trim('*');
                continue;
            }
            if (Stamp().Match(line) is { Success: true } stamp && StartMs(stamp) is { } start)
            {
                FlushParagraph();
                timed.Add((start, new System.Text.StringBuilder(line[stamp.Length..].Trim())));
                continue;
            }
            // A line without a stamp continues the segment above it (a wrapped line), or is a paragraph of an untimed transcript.
            if (timed.Count > 0)
                timed[^1].Text.Append(' ').Append(line);
            else
                paragraph.Append(paragraph.Length > 0 ? " " : "").Append(line);
        }
        FlushParagraph();

        var segments = new List<TranscriptSegment>(Math.Max(timed.Count, paragraphs.Count));
        if (timed.Count > 0)
        {
            for (var i = 0; i < timed.Count; i++)
            {
                var (start, text) = timed[i];
                // Stamps that go backwards (hand edits) keep their order; such a segment gets the usual 5 s.
                var end = i + 1 < timed.Count && timed[i + 1].StartMs > start ? timed[i + 1].StartMs : start + LastSegmentMs;
                segments.Add(new TranscriptSegment(start, end, text.ToString()));
            }
        }
        else
        {
            segments.AddRange(paragraphs.Select(p => new TranscriptSegment(0, 0, p)));
        }
        return new Transcript(segments)
        {
            Title = title,
            Language = language,
            LanguageProbability = language is null ? null : probability,
            Note = note,
            HasTimestamps = timed.Count > 0 || (segments.Count == 0 && note is not null),
            Source = fromPublisher ? (timed.Count > 0 ? "podcast2.0:vtt" : "podcast2.0:text") : null,
        };

        void FlushParagraph()
        {
            if (paragraph.Length == 0)
                return;
            paragraphs.Add(paragraph.ToString());
            paragraph.Clear();
        }
    }

    private static long? StartMs(Match stamp)
    {
        var hours = stamp.Groups["h"].Success ? int.Parse(stamp.Groups["h"].ValueSpan, CultureInfo.InvariantCulture) : 0;
        var minutes = int.Parse(stamp.Groups["m"].ValueSpan, CultureInfo.InvariantCulture);
        var seconds = int.Parse(stamp.Groups["s"].ValueSpan, CultureInfo.InvariantCulture);
        // MM may pass 59 when a writer never switched to HH:MM:SS; seconds may not.
        if (seconds > 59 || (stamp.Groups["h"].Success && minutes > 59))
            return null;
        return ((hours * 60L + minutes) * 60 + seconds) * 1000;
    }

    [GeneratedRegex(@"^\*\*\[(?:(?<h>\d{1,3}):)?(?<m>\d{1,3}):(?<s>\d{2})\]\*\*", RegexOptions.CultureInvariant)]
    private static partial Regex Stamp();

    [GeneratedRegex(
        @"^\*Language:\s*(?<code>[A-Za-z]{2,3}(?:-[A-Za-z]{2,4})?)(?:\s*\((?<percent>\d{1,3}(?:\.\d{1,3})?)%[^)]{0,40}\))?\*$",
        RegexOptions.CultureInvariant
    )]
    private static partial Regex LanguageLine();
}
