using System.Globalization;
using System.Text;

namespace Cast2md.Files;

/// <summary>Turns podcast and episode titles into one path component that is safe on Linux, macOS and Windows.</summary>
/// <remarks>
/// Unlike the original (NFKD, then every non-ASCII character dropped, so CJK titles became "unnamed"),
/// letters, marks and digits of every script are kept, and so are symbols such as emoji.
/// </remarks>
public static class FileNames
{
    /// <summary>The name used when nothing usable is left of the input.</summary>
    public const string Unnamed = "unnamed";

    /// <summary>The smallest <c>maxLength</c> accepted: room for "unnamed" and a guarded reserved name.</summary>
    public const int MinimumLength = 8;

    // Windows refuses these as a file's base name, whatever the extension (and also with the superscript digits).
    private static readonly HashSet<string> ReservedNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON",
        "PRN",
        "AUX",
        "NUL",
        "CONIN$",
        "CONOUT$",
        "COM0",
        "COM1",
        "COM2",
        "COM3",
        "COM4",
        "COM5",
        "COM6",
        "COM7",
        "COM8",
        "COM9",
        "COM\u00B9",
        "COM\u00B2",
        "COM\u00B3",
        "LPT0",
        "LPT1",
        "LPT2",
        "LPT3",
        "LPT4",
        "LPT5",
        "LPT6",
        "LPT7",
        "LPT8",
        "LPT9",
        "LPT\u00B9",
        "LPT\u00B2",
        "LPT\u00B3",
    };

    /// <summary>
    /// One safe path component made from <paramref name="name"/>: Unicode NFC; letters, digits, marks, symbols and
    /// ordinary punctuation of every script kept; <c>&lt;&gt;:"/\|?*</c>, control and invisible formatting characters
    /// replaced by '_'; runs of whitespace and '_' collapsed into one '_'; '.', ' ' and '_' trimmed at both ends;
    /// Windows device names (CON, aux.mp3, COM1, ...) get a trailing '_'; at most <paramref name="maxLength"/>
    /// UTF-8 <b>bytes</b>, cut between user-perceived characters; "unnamed" when nothing is left.
    /// </summary>
    /// <param name="name">Any text, typically a title.</param>
    /// <param name="maxLength">The most UTF-8 bytes the result may take (file systems limit names to 255 bytes, not characters).</param>
    public static string Sanitize(string? name, int maxLength = 80)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, MinimumLength);
        if (string.IsNullOrWhiteSpace(name))
            return Unnamed;

        var cleaned = Clean(Normalize(name));
        var truncated = TrimEnds(Truncate(cleaned, maxLength));
        if (truncated.Length == 0)
            return Unnamed;
        return IsReserved(truncated) ? GuardReserved(truncated, maxLength) : truncated;
    }

    /// <summary>Whether Windows treats <paramref name="fileName"/> as a device (CON, nul.txt, COM1.tar.gz, ...).</summary>
    public static bool IsReserved(string fileName)
    {
        var dot = fileName.IndexOf('.');
        var baseName = (dot < 0 ? fileName : fileName[..dot]).TrimEnd(' ');
        return ReservedNames.Contains(baseName);
    }

    private static string Normalize(string name)
    {
        // Under InvariantGlobalization (the published binary) .NET leaves strings as they are: decomposed
        // input keeps its combining marks, which Clean() keeps too, so nothing is lost either way.
        try
        {
            return name.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            // Invalid code points (lone surrogates) cannot be normalised; Clean() replaces them.
            return name;
        }
    }

    private static string Clean(string name)
    {
        var builder = new StringBuilder(name.Length);
        var pendingSeparator = false;
        var index = 0;
        while (index < name.Length)
        {
            if (Rune.DecodeFromUtf16(name.AsSpan(index), out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                // A lone surrogate: not encodable as UTF-8, so it cannot be part of a file name.
                pendingSeparator = true;
                index += Math.Max(consumed, 1);
                continue;
            }
            index += consumed;

            switch (Classify(rune))
            {
                case Kind.Keep:
                    if (pendingSeparator && builder.Length > 0)
                        builder.Append('_');
                    pendingSeparator = false;
                    builder.Append(rune.ToString());
                    break;
                case Kind.Separator:
                    pendingSeparator = true;
                    break;
                case Kind.Drop:
                    break;
            }
        }
        return TrimEnds(builder.ToString());
    }

    private enum Kind
    {
        Keep,
        Separator,
        Drop,
    }

    private static Kind Classify(Rune rune)
    {
        var value = rune.Value;
        if (value is '<' or '>' or ':' or '"' or '/' or '\\' or '|' or '?' or '*' or '_')
            return Kind.Separator;
        // Zero-width joiner/non-joiner carry meaning inside emoji sequences and Persian or Indic words.
        if (value is 0x200C or 0x200D)
            return Kind.Keep;
        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => Kind.Separator,
            // Tabs, newlines, NUL and the other C0/C1 controls.
            UnicodeCategory.Control => Kind.Separator,
            // Unassigned, private-use and surrogate code points may not survive every file system's encoding.
            UnicodeCategory.OtherNotAssigned or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate => Kind.Separator,
            // Invisible formatting (bidi overrides that disguise an extension, BOM, soft hyphen) is dropped.
            UnicodeCategory.Format => Kind.Drop,
            _ => Kind.Keep,
        };
    }

    private static string TrimEnds(string text) => text.Trim('.', ' ', '_');

    /// <summary>The longest prefix of whole text elements (grapheme clusters) within <paramref name="maxBytes"/> of UTF-8.</summary>
    private static string Truncate(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
            return text;

        var bytes = 0;
        var end = 0;
        while (end < text.Length)
        {
            var length = StringInfo.GetNextTextElementLength(text.AsSpan(end));
            var elementBytes = Encoding.UTF8.GetByteCount(text.AsSpan(end, length));
            if (bytes + elementBytes > maxBytes)
            {
                // One giant cluster (a letter with hundreds of combining marks): cut it between code points.
                if (end == 0)
                    return TruncateRunes(text, maxBytes);
                break;
            }
            bytes += elementBytes;
            end += length;
        }
        return text[..end];
    }

    private static string TruncateRunes(string text, int maxBytes)
    {
        var bytes = 0;
        var end = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > maxBytes)
                break;
            bytes += rune.Utf8SequenceLength;
            end += rune.Utf16SequenceLength;
        }
        return text[..end];
    }

    private static string GuardReserved(string name, int maxBytes)
    {
        // "CON" → "CON_", "aux.mp3" → "aux_.mp3": the base name no longer matches a device.
        var dot = name.IndexOf('.');
        var guarded = dot < 0 ? name + "_" : name[..dot] + "_" + name[dot..];
        // Too long only with a long extension: then keep the guarded base name alone (at most 8 bytes).
        return Encoding.UTF8.GetByteCount(guarded) <= maxBytes ? guarded : name[..dot] + "_";
    }
}
