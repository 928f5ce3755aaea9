namespace Cast2md.Tui.ViewModels;

/// <summary>The characters bars and markers are drawn with: block characters on a Unicode terminal, ASCII elsewhere.</summary>
public sealed record Glyphs(char Full, char Empty, string Online, string Offline, string Dash)
{
    public static readonly Glyphs Unicode = new('█', '░', "●", "○", "—");
    public static readonly Glyphs Ascii = new('#', '-', "*", "o", "-");

    /// <summary>Unicode unless the locale says otherwise (LANG/LC_ALL without UTF-8) or CAST2MD_ASCII is set.</summary>
    public static Glyphs Detect(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (!string.IsNullOrEmpty(environment(Cast2md.Settings.SettingDefinitions.AsciiGlyphs)))
            return Ascii;
        var locale =
            environment("LC_ALL") is { Length: > 0 } all ? all
            : environment("LC_CTYPE") is { Length: > 0 } ctype ? ctype
            : environment("LANG");
        if (string.IsNullOrEmpty(locale))
            return Unicode;
        return locale.Contains("UTF-8", StringComparison.OrdinalIgnoreCase) || locale.Contains("utf8", StringComparison.OrdinalIgnoreCase)
            ? Unicode
            : Ascii;
    }
}
