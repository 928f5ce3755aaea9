using System.Globalization;
using System.Text;

namespace Cast2md.Feeds;

/// <summary>Cleaning of the text and numbers a feed carries.</summary>
internal static class FeedText
{
    /// <summary>One line: runs of whitespace become one space, control characters and lone surrogates go; null when empty.</summary>
    public static string? Line(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return null;
        var builder = new StringBuilder(value.Length);
        var pendingSpace = false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                // A control character separates words like a space would ("a\0b" must not read "ab").
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (!IsWellFormedAt(value, ref i, out var pair))
                continue;
            if (pendingSpace)
                builder.Append(' ');
            pendingSpace = false;
            builder.Append(c);
            if (pair)
                builder.Append(value[i]);
        }

        return builder.Length == 0 ? null : builder.ToString();
    }

    /// <summary>Multi-line text (descriptions): trimmed, "\r\n" kept as "\n", other control characters and lone surrogates removed; null when empty.</summary>
    public static string? Block(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c is '\n' or '\t')
            {
                builder.Append(c);
                continue;
            }

            if (char.IsControl(c) || !IsWellFormedAt(value, ref i, out var pair))
                continue;
            builder.Append(c);
            if (pair)
                builder.Append(value[i]);
        }

        var text = builder.ToString().Trim();
        return text.Length == 0 ? null : text;
    }

    // True for a BMP character or a complete surrogate pair (then i is moved to the low half).
    private static bool IsWellFormedAt(string value, ref int i, out bool pair)
    {
        pair = false;
        var c = value[i];
        if (!char.IsSurrogate(c))
            return true;
        if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
        {
            pair = true;
            i++;
            return true;
        }

        return false;
    }

    /// <summary>itunes:duration: "HH:MM:SS", "MM:SS", "SS" (fractions allowed); null when it is none of these.</summary>
    public static double? Duration(string? value)
    {
        var text = Line(value);
        if (text is null)
            return null;
        var parts = text.Split(':');
        if (parts.Length > 3)
            return null;
        double total = 0;
        foreach (var part in parts)
        {
            if (!double.TryParse(part.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
                return null;
            total = total * 60 + number;
        }

        return double.IsFinite(total) ? total : null;
    }

    /// <summary>A positive byte count, or null.</summary>
    public static long? Length(string? value) =>
        long.TryParse(value?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var length) && length > 0 ? length : null;

    /// <summary>
    /// The URL made absolute against <paramref name="baseUri"/>. Only http(s) URLs are returned; other absolute schemes
    /// (file:, data:, javascript:) give null. A relative URL without a base is returned as published.
    /// </summary>
    public static string? Url(string? value, Uri? baseUri)
    {
        var text = Line(value);
        if (text is null)
            return null;

        // On Unix "/a.mp3" parses as an absolute file: URI, so a leading slash always means relative here.
        if (!text.StartsWith('/') && Uri.TryCreate(text, UriKind.Absolute, out var absolute))
            return IsHttp(absolute) ? absolute.AbsoluteUri : null;

        if (baseUri is null || !baseUri.IsAbsoluteUri)
            return text;
        return Uri.TryCreate(baseUri, text, out var resolved) && IsHttp(resolved) ? resolved.AbsoluteUri : null;
    }

    private static bool IsHttp(Uri uri) => uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps;
}
