using System.Globalization;

namespace Cast2md.Feeds;

/// <summary>
/// Dates as podcasts publish them: RFC 822 with the usual sloppiness (named zones, no weekday, one-digit days,
/// two-digit years, full month names, no seconds, no zone) and ISO 8601. Results are UTC.
/// </summary>
internal static class FeedDates
{
    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    private static readonly Dictionary<string, int> ZoneMinutes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["UT"] = 0,
        ["UTC"] = 0,
        ["GMT"] = 0,
        ["Z"] = 0,
        ["WET"] = 0,
        ["EST"] = -300,
        ["EDT"] = -240,
        ["CST"] = -360,
        ["CDT"] = -300,
        ["MST"] = -420,
        ["MDT"] = -360,
        ["PST"] = -480,
        ["PDT"] = -420,
        ["AKST"] = -540,
        ["AKDT"] = -480,
        ["HST"] = -600,
        ["BST"] = 60,
        ["IST"] = 60,
        ["CET"] = 60,
        ["CEST"] = 120,
        ["MET"] = 60,
        ["MEST"] = 120,
        ["WEST"] = 60,
        ["EET"] = 120,
        ["EEST"] = 180,
        ["MSK"] = 180,
        ["JST"] = 540,
        ["KST"] = 540,
        ["AEST"] = 600,
        ["AEDT"] = 660,
        ["ACST"] = 570,
        ["AWST"] = 480,
        ["NZST"] = 720,
        ["NZDT"] = 780,
    };

    public static DateTimeOffset? Parse(string? value)
    {
        var text = FeedText.Line(value);
        if (text is null)
            return null;
        return Rfc822(text) ?? Iso(text);
    }

    private static DateTimeOffset? Iso(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var date)
            ? date.ToUniversalTime()
            : null;

    // [Weekday,] day month year time [zone]
    private static DateTimeOffset? Rfc822(string text)
    {
        var tokens = text.Replace(",", " ", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (tokens.Count > 0 && tokens[0].Length >= 3 && char.IsLetter(tokens[0][0]) && MonthOf(tokens[0]) is null)
            tokens.RemoveAt(0); // the weekday, whatever its spelling
        if (tokens.Count < 3)
            return null;

        // "5 Jan 2024" and, less often, "Jan 5 2024".
        int day;
        int? month;
        if (int.TryParse(tokens[0], NumberStyles.None, CultureInfo.InvariantCulture, out day))
            month = MonthOf(tokens[1]);
        else if ((month = MonthOf(tokens[0])) is not null && int.TryParse(tokens[1], NumberStyles.None, CultureInfo.InvariantCulture, out day)) { }
        else
            return null;
        if (month is null || !int.TryParse(tokens[2], NumberStyles.None, CultureInfo.InvariantCulture, out var year))
            return null;
        if (tokens[2].Length <= 2)
            year += year < 50 ? 2000 : 1900;

        var time = TimeSpan.Zero;
        var offset = TimeSpan.Zero;
        if (tokens.Count > 3)
        {
            if (!TryTime(tokens[3], out time))
                return null;
            // An unknown zone name is read as UTC rather than losing the date.
            if (tokens.Count > 4 && !TryZone(tokens[4], out offset))
                offset = TimeSpan.Zero;
        }

        try
        {
            return new DateTimeOffset(year, month.Value, day, 0, 0, 0, offset).Add(time).ToUniversalTime();
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static int? MonthOf(string token)
    {
        if (token.Length < 3)
            return null;
        var index = Array.IndexOf(Months, token[..3].ToLowerInvariant());
        return index < 0 ? null : index + 1;
    }

    private static bool TryTime(string token, out TimeSpan time)
    {
        time = TimeSpan.Zero;
        var parts = token.Split(':');
        if (parts.Length is < 2 or > 3)
            return false;
        var numbers = new int[3];
        for (var i = 0; i < parts.Length; i++)
        {
            var part = i == 2 ? parts[i].Split('.')[0] : parts[i];
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
                return false;
        }

        if (numbers[0] > 24 || numbers[1] > 59 || numbers[2] > 60)
            return false;
        time = new TimeSpan(numbers[0], numbers[1], numbers[2]);
        return true;
    }

    private static bool TryZone(string token, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (ZoneMinutes.TryGetValue(token, out var minutes))
        {
            offset = TimeSpan.FromMinutes(minutes);
            return true;
        }

        // +0100, -05:00, +01
        if (token.Length < 3 || token[0] is not ('+' or '-'))
            return false;
        var digits = token[1..].Replace(":", "", StringComparison.Ordinal);
        if (digits.Length is not (2 or 4) || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            return false;
        var (hours, mins) = digits.Length == 2 ? (value, 0) : (value / 100, value % 100);
        if (hours > 14 || mins > 59)
            return false;
        offset = new TimeSpan(hours, mins, 0) * (token[0] == '-' ? -1 : 1);
        return true;
    }
}
