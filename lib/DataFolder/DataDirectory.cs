namespace Cast2md.DataFolder;

/// <summary>Where the server keeps its database, audio and transcripts.</summary>
public static class DataDirectory
{
    public const string Variable = Settings.SettingDefinitions.DataDirectory;

    /// <summary>--data-dir, else $CAST2MD_DATA_DIR, else ~/.cast2md/data; a leading ~ is expanded.</summary>
    public static string Resolve(string? option, Func<string, string?>? environment = null)
    {
        environment ??= Cast2md.Settings.LocalSettings.Process.Get;
        var value =
            option is { Length: > 0 } ? option
            : environment(Variable) is { Length: > 0 } fromEnvironment ? fromEnvironment
            : Path.Combine("~", ".cast2md", "data");
        return Path.GetFullPath(Files.HomePath.Expand(value));
    }

    public static string DatabasePath(string dataDirectory) => Path.Combine(dataDirectory, "cast2md.db");
}
