namespace Cast2md.Settings;

/// <summary>
/// Settings as every part of cast2md reads them before any database: the process environment, then the <c>.env</c>
/// files. The server's <see cref="SettingsStore"/> puts its database overrides between the two; a node, the CLI's
/// commands and the monitors read this alone.
/// </summary>
/// <remarks>
/// Precedence, highest first:
/// <list type="number">
/// <item>the process environment (a non-empty variable with the upper-case name);</item>
/// <item>(the server only: a database override, through <c>PUT /api/settings</c>);</item>
/// <item><c>~/.cast2md/.env</c>, then <c>./.env</c> (the working directory's): of the two files the per-user one wins,
/// as pydantic-settings reads a tuple of env files (the later file wins), so the original's files mean the same here;</item>
/// <item>the default of whoever reads the setting.</item>
/// </list>
/// An empty value counts as unset at every level. The files are read once, when the instance is made.
/// </remarks>
public sealed class LocalSettings
{
    private readonly Func<string, string?> _environment;
    private readonly IReadOnlyList<EnvFile> _files;

    /// <param name="environment">Reads a process environment variable.</param>
    /// <param name="files">.env files, lowest precedence first.</param>
    public LocalSettings(Func<string, string?> environment, IReadOnlyList<EnvFile> files)
    {
        _environment = environment;
        _files = files;
    }

    private static readonly Lazy<LocalSettings> s_process = new(() => Load());

    /// <summary>
    /// This process's settings: its environment and the .env files of the working directory and home at first use.
    /// What a command reads when no caller handed it settings of its own.
    /// </summary>
    public static LocalSettings Process => s_process.Value;

    /// <summary>The process environment (or <paramref name="environment"/>) and the .env files of <see cref="DefaultEnvFiles"/>.</summary>
    public static LocalSettings Load(string? workingDirectory = null, string? homeDirectory = null, Func<string, string?>? environment = null) =>
        new(
            environment ?? Environment.GetEnvironmentVariable,
            DefaultEnvFiles(
                    workingDirectory ?? Directory.GetCurrentDirectory(),
                    homeDirectory ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)
                )
                .Select(EnvFile.Load)
                .ToArray()
        );

    /// <summary>Fixed values and no files (specs).</summary>
    public static LocalSettings From(IReadOnlyDictionary<string, string> values) =>
        new(name => values.TryGetValue(name, out var value) ? value : null, []);

    /// <summary>.env files in precedence order, lowest first: <c>{workingDirectory}/.env</c>, then <c>{homeDirectory}/.cast2md/.env</c>.</summary>
    public static IReadOnlyList<string> DefaultEnvFiles(string workingDirectory, string homeDirectory)
    {
        var files = new List<string>(2);
        if (!string.IsNullOrWhiteSpace(workingDirectory))
            files.Add(Path.GetFullPath(Path.Combine(workingDirectory, ".env")));
        if (!string.IsNullOrWhiteSpace(homeDirectory))
        {
            var home = Path.GetFullPath(Path.Combine(homeDirectory, ".cast2md", ".env"));
            if (!files.Contains(home))
                files.Add(home);
        }
        return files;
    }

    /// <summary>The .env files that were read, lowest precedence first.</summary>
    public IReadOnlyList<string> EnvFiles => _files.Select(f => f.Source).ToArray();

    /// <summary>Lines of the .env files that were ignored, and why.</summary>
    public IReadOnlyList<EnvFileWarning> Warnings => _files.SelectMany(f => f.Warnings).ToArray();

    /// <summary>The value of <paramref name="name"/> (environment first, then the files), trimmed; null when unset or empty.</summary>
    public string? Get(string name) => FromEnvironment(name) ?? FromFiles(name);

    /// <summary>
    /// As <see cref="Get"/>, except that a variable set but blank in the environment is returned as "" rather than as
    /// unset: for tokens, where a blank value is a mistake to refuse, not an absence to fill in.
    /// </summary>
    public string? GetAsSet(string name) => _environment(name.ToUpperInvariant()) is { } raw ? raw.Trim() : FromFiles(name);

    /// <summary>The process environment's value alone, trimmed; null when unset or empty.</summary>
    internal string? FromEnvironment(string name) => Trimmed(_environment(name.ToUpperInvariant()));

    /// <summary>The .env files' value alone (the later file winning), trimmed; null when unset or empty.</summary>
    internal string? FromFiles(string name)
    {
        for (var i = _files.Count - 1; i >= 0; i--)
            if (Trimmed(_files[i].Get(name)) is { } value)
                return value;
        return null;
    }

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
