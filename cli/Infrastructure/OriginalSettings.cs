using Cast2md.Settings;

namespace Cast2md.Cli.Infrastructure;

/// <summary>
/// The original cast2md's path variables. None of them maps onto ours one to one (we keep database, audio, transcripts
/// and temporary files in one data folder, so finished files are renamed into place on the same disk), and ignoring
/// them would quietly start an empty library somewhere else; so a server that finds one refuses to start and says
/// what replaces it.
/// </summary>
internal static class OriginalSettings
{
    private static readonly (string Name, string Replacement)[] Retired =
    [
        (
            "DATABASE_URL",
            "cast2md keeps its library and queue in one SQLite file, cast2md.db in the data folder; remove DATABASE_URL and choose the folder with CAST2MD_DATA_DIR (or --data-dir); to bring the original's feeds and transcripts over, run cast2md import --database URL --storage DIR once"
        ),
        (
            "STORAGE_PATH",
            "cast2md keeps audio and transcripts in its data folder; remove STORAGE_PATH and set CAST2MD_DATA_DIR (or --data-dir) instead; cast2md import --storage DIR brings its files over"
        ),
        (
            "TEMP_DOWNLOAD_PATH",
            "partial downloads live in the data folder's tmp/ (on the same disk as the finished files); remove TEMP_DOWNLOAD_PATH"
        ),
    ];

    /// <summary>
    /// Why this command line must not run, or null. Only the commands that open a data folder for good (serve,
    /// init-db) look: a stray DATABASE_URL in another project's .env must not stop `transcribe file.mp3`.
    /// </summary>
    public static string? Refusal(string[] args, Func<string, string?>? environment = null, IReadOnlyList<string>? envFiles = null)
    {
        if (args.Length == 0 || args[0] is not ("serve" or "init-db") || args.Contains("--help") || args.Contains("-h"))
            return null;
        environment ??= Environment.GetEnvironmentVariable;
        envFiles ??= LocalSettings.DefaultEnvFiles(Directory.GetCurrentDirectory(), Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));
        var files = envFiles.Select(EnvFile.Load).ToArray();
        foreach (var (name, replacement) in Retired)
        {
            var where = environment(name) is { Length: > 0 } ? "the environment" : files.FirstOrDefault(f => f.Get(name) is not null)?.Source;
            if (where is not null)
                return $"{name} (set in {where}) is the original cast2md's setting and is not read here: {replacement}.";
        }
        return null;
    }
}
