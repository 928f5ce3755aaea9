using System.Globalization;
using System.Net;
using System.Text;

namespace Cast2md.Transcripts.Publisher;

/// <summary>
/// WebVTT and SubRip cues, read line by line so that files without blank lines between cues still work:
/// a timing line ("00:01.000 --> 00:02.500 align:start") starts a cue, the lines after it up to a blank line are
/// its text. Cue identifiers, SRT indices, the WEBVTT header and NOTE/STYLE/REGION blocks are skipped; cue
/// settings are ignored; tags are removed, entities unescaped, and a leading voice span (&lt;v Name&gt;) becomes the speaker.
/// </summary>
internal static class CueParser
{
    public static List<TimedCue> Parse(string content)
    {
        var cues = new List<TimedCue>();
        var lines = content.ReplaceLineEndings("\n").Split('\n');
        long start = 0,
            end = 0;
        var text = new List<string>();
        var inCue = false;

        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                Flush();
                continue;
            }

            if (TryTiming(line, out var cueStart, out var cueEnd))
            {
                Flush();
                (start, end, inCue) = (cueStart, cueEnd, true);
                continue;
            }

            // Outside a cue every line is a header, identifier, SRT index or part of a NOTE/STYLE/REGION block
            // (none of which may contain "-->"), so only lines after a timing line are text.
            if (inCue)
                text.Add(line);
        }

        Flush();
        return cues;

        void Flush()
        {
            if (inCue && text.Count > 0)
            {
                var (speaker, body) = CueText(text);
                if (body.Length > 0)
                    cues.Add(new TimedCue(start, Math.Max(start, end), body, speaker));
            }

            text.Clear();
            inCue = false;
        }
    }

    /// <summary>"[hh:]mm:ss[.,]fff --> [hh:]mm:ss[.,]fff [settings]".</summary>
    internal static bool TryTiming(string line, out long startMs, out long endMs)
    {
        startMs = endMs = 0;
        var arrow = line.IndexOf("-->", StringComparison.Ordinal);
        if (arrow <= 0)
            return false;
        var left = line[..arrow].Trim();
        var right = line[(arrow + 3)..].TrimStart();
        var space = right.IndexOfAny([' ', '\t']);
        if (space >= 0)
            right = right[..space];
        return TryTimestamp(left, out startMs) && TryTimestamp(right, out endMs);
    }

    internal static bool TryTimestamp(string value, out long milliseconds)
    {
        milliseconds = 0;
        var parts = value.Split(':');
        if (parts.Length is < 2 or > 3)
            return false;
        long total = 0;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            if (!long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out var unit) || unit > 1_000_000)
                return false;
            total = total * 60 + unit;
        }

        var last = parts[^1].Replace(',', '.');
        var dot = last.IndexOf('.');
        var wholePart = dot < 0 ? last : last[..dot];
        var fraction = dot < 0 ? "" : last[(dot + 1)..];
        if (
            !long.TryParse(wholePart, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || (fraction.Length > 0 && !fraction.All(char.IsAsciiDigit))
        )
            return false;
        var ms = fraction.Length == 0 ? 0 : int.Parse(fraction.PadRight(3, '0')[..3], CultureInfo.InvariantCulture);
        milliseconds = (total * 60 + seconds) * 1000 + ms;
        return true;
    }

    private static (string? Speaker, string Text) CueText(List<string> lines)
    {
        var joined = string.Join(' ', lines);
        string? speaker = null;
        // <v Name>, <v.loud Name> at the start of the cue.
        if (joined.StartsWith("<v", StringComparison.Ordinal) && joined.Length > 2 && joined[2] is ' ' or '.' or '\t')
        {
            var close = joined.IndexOf('>');
            if (close > 0)
            {
                var tag = joined[2..close];
                var nameStart = tag.IndexOfAny([' ', '\t']);
                speaker = nameStart < 0 ? null : Clean(tag[nameStart..]);
                if (speaker?.Length == 0)
                    speaker = null;
            }
        }

        return (speaker, Clean(StripTags(joined)));
    }

    /// <summary>Removes &lt;…&gt; tags and SSA override blocks ({\an8}) some SRT files carry.</summary>
    internal static string StripTags(string text)
    {
        var builder = new StringBuilder(text.Length);
        // Once a search finds no closing character none lies further on; remembering that keeps "<<<<…" linear.
        bool noAngle = false,
            noBrace = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '<' && !noAngle)
            {
                var close = text.IndexOf('>', i + 1);
                if (close > 0)
                {
                    i = close;
                    continue;
                }

                noAngle = true;
            }

            if (text[i] == '{' && !noBrace && i + 1 < text.Length && text[i + 1] == '\\')
            {
                var brace = text.IndexOf('}', i + 1);
                if (brace > 0)
                {
                    i = brace;
                    continue;
                }

                noBrace = true;
            }

            builder.Append(text[i]);
        }

        return builder.ToString();
    }

    /// <summary>Entities unescaped, whitespace collapsed, control characters removed.</summary>
    internal static string Clean(string text)
    {
        var decoded = WebUtility.HtmlDecode(text);
        var builder = new StringBuilder(decoded.Length);
        var space = false;
        foreach (var c in decoded)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
                builder.Append(' ');
            space = false;
            builder.Append(c);
        }

        return builder.ToString();
    }
}
