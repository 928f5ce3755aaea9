using System.Globalization;
using System.Text;

namespace Cast2md.Cli.Output;

/// <summary>Text from feeds is hostile: control characters (escape sequences, carriage returns) never reach the terminal.</summary>
internal static class TerminalText
{
    /// <summary>Control and format-breaking characters become spaces; runs of whitespace collapse; null becomes "".</summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return "";
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            var category = char.GetUnicodeCategory(c);
            var blank =
                char.IsWhiteSpace(c)
                || category
                    is UnicodeCategory.Control
                        or UnicodeCategory.Format
                        or UnicodeCategory.LineSeparator
                        or UnicodeCategory.ParagraphSeparator;
            if (blank)
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

    /// <summary><see cref="Clean"/>, cut to <paramref name="max"/> characters with an ellipsis.</summary>
    public static string Short(string? text, int max)
    {
        var clean = Clean(text);
        return clean.Length <= max ? clean : clean[..(max - 1)] + "…";
    }

    public static string Date(DateTimeOffset? value) => value is { } v ? v.ToLocalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "-";

    public static string Time(DateTimeOffset? value) =>
        value is { } v ? v.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "-";

    public static string Duration(double? seconds)
    {
        if (seconds is not { } s)
            return "-";
        var time = TimeSpan.FromSeconds(s);
        return time.TotalHours >= 1
            ? time.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
            : time.ToString(@"m\:ss", CultureInfo.InvariantCulture);
    }
}
