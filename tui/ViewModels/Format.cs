using System.Globalization;

namespace Cast2md.Tui.ViewModels;

/// <summary>Turns numbers and times into the short strings the screens show (invariant culture, fixed widths).</summary>
public static class Format
{
    /// <summary>"██████░░░░  62%": a bar of <paramref name="width"/> cells and the percentage; blank for no progress.</summary>
    public static string Bar(double? percent, int width, Glyphs glyphs)
    {
        if (percent is not { } p)
            return new string(' ', width + 5);
        p = Math.Clamp(p, 0, 100);
        var filled = (int)Math.Round(p / 100 * width, MidpointRounding.AwayFromZero);
        return new string(glyphs.Full, filled)
            + new string(glyphs.Empty, width - filled)
            + " "
            + ((int)Math.Floor(p)).ToString(CultureInfo.InvariantCulture).PadLeft(3)
            + "%";
    }

    /// <summary>"12s ago", "5m ago", "3h ago", "2d ago", or "never".</summary>
    public static string Ago(DateTime? at, DateTimeOffset now)
    {
        if (at is not { } t)
            return "never";
        var utc = t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : DateTime.SpecifyKind(t, DateTimeKind.Utc);
        var span = now.UtcDateTime - utc;
        if (span < TimeSpan.Zero)
            span = TimeSpan.Zero;
        return span.TotalSeconds < 60 ? $"{(int)span.TotalSeconds}s ago"
            : span.TotalMinutes < 60 ? $"{(int)span.TotalMinutes}m ago"
            : span.TotalHours < 48 ? $"{(int)span.TotalHours}h ago"
            : $"{(int)span.TotalDays}d ago";
    }

    /// <summary>"1:02:03" or "4:05".</summary>
    public static string Duration(double? seconds)
    {
        if (seconds is not { } s || s < 0)
            return "";
        var span = TimeSpan.FromSeconds(Math.Round(s));
        return span.TotalHours >= 1 ? $"{(int)span.TotalHours}:{span.Minutes:00}:{span.Seconds:00}" : $"{span.Minutes}:{span.Seconds:00}";
    }

    public static string Date(DateTime? at) => at?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    public static string Number(double value, string format = "0.#") => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>Cuts to <paramref name="width"/> characters with an ellipsis; one line only.</summary>
    public static string Fit(string? text, int width)
    {
        if (string.IsNullOrEmpty(text))
            return "";
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= width ? line : line[..Math.Max(0, width - 1)] + "…";
    }
}
