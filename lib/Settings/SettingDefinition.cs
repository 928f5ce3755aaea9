namespace Cast2md.Settings;

/// <summary>One setting: its environment-variable name, type, default and how it is shown in a settings screen.</summary>
/// <param name="Key">Upper-case name, the same as the environment variable and the original's name.</param>
/// <param name="Default">The value used when no source sets one, in the same text form as the other sources.</param>
public sealed record SettingDefinition(string Key, SettingType Type, string Default, string Label, string Description)
{
    /// <summary>The allowed values of a <see cref="SettingType.Choice"/>.</summary>
    public IReadOnlyList<string>? Options { get; init; }

    /// <summary>Smallest allowed value of an Int or Double setting.</summary>
    public double? Min { get; init; }

    /// <summary>Largest allowed value of an Int or Double setting.</summary>
    public double? Max { get; init; }

    /// <summary>A credential: read only from the environment or .env files, never stored in or read from the database, never shown.</summary>
    public bool IsSecret { get; init; }

    /// <summary>Whether the value may be overridden through the settings API (stored in the database).</summary>
    public bool IsConfigurable { get; init; } = true;

    /// <summary>A change takes effect only after the server is restarted.</summary>
    public bool RequiresRestart { get; init; }

    /// <summary>Whether an empty value is allowed (String settings; other types never accept one).</summary>
    public bool AllowEmpty { get; init; } = true;

    /// <summary>The value must be an absolute http(s) URL (String settings; empty allowed when <see cref="AllowEmpty"/>).</summary>
    public bool IsUrl { get; init; }

    /// <summary>Unit shown next to the value ("minutes", "MB", ...), if any.</summary>
    public string? Unit { get; init; }
}
