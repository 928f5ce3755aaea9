using Cast2md.Cli.Infrastructure;
using Cast2md.Cli.Output;
using Cast2md.DataFolder;
using Cast2md.Import;
using Cast2md.Json;
using Cast2md.Services;
using ConsoleAppFramework;

namespace Cast2md.Cli.Commands;

[RegisterCommands]
internal sealed class ImportCommand
{
    /// <summary>
    /// Bring an original (Python) cast2md installation over: its feeds, episodes with their states, settings overrides,
    /// and its storage folder's transcripts and audio. Safe to run again: what is here already is left as it is.
    /// Exit 0 (also with files missing), 1 when the database cannot be read, 2 usage, 75 while `serve` runs on the data folder.
    /// </summary>
    /// <param name="database">The original's DATABASE_URL: postgresql://user:password@host:port/database (read only).</param>
    /// <param name="storage">The original's STORAGE_PATH (the folder holding transcripts/ and audio/). Alone, it finds files for the feeds already here.</param>
    /// <param name="link">Hard-link the files into the data folder instead of copying them (one file system only).</param>
    /// <param name="dryRun">Say what would be imported; write nothing.</param>
    /// <param name="json">Print the summary as one JSON document on stdout.</param>
    [Command("import")]
    public Task<int> RunAsync(
        string? database = null,
        string? storage = null,
        bool link = false,
        bool dryRun = false,
        bool json = false,
        CancellationToken cancellationToken = default
    ) => Edition.IsFull ? ImportAsync(database, storage, link, dryRun, json, cancellationToken) : Task.FromResult(Edition.Missing("import"));

    private static async Task<int> ImportAsync(
        string? database,
        string? storage,
        bool link,
        bool dryRun,
        bool json,
        CancellationToken cancellationToken
    )
    {
        if (string.IsNullOrWhiteSpace(database) && string.IsNullOrWhiteSpace(storage))
            throw new UsageException(
                "Say what to import: --database postgresql://user:password@host:port/database (the original's DATABASE_URL), --storage DIR (its STORAGE_PATH), or both."
            );
        var storageFolder = string.IsNullOrWhiteSpace(storage) ? null : Path.GetFullPath(Files.HomePath.Expand(storage));
        if (storageFolder is not null && !Directory.Exists(storageFolder))
            throw new UsageException($"The storage folder {storageFolder} does not exist.");
        if (
            storageFolder is not null
            && !Directory.Exists(Path.Combine(storageFolder, OriginalStorage.TranscriptsFolder))
            && !Directory.Exists(Path.Combine(storageFolder, OriginalStorage.AudioFolder))
        )
            throw new UsageException($"The storage folder {storageFolder} has neither transcripts/ nor audio/: give the original's STORAGE_PATH.");
        var folder = GlobalOptions.DataDirectory;

        // Import writes the episodes a running server's workers and poller would be working on at the same time: the
        // "untouched here" rule that keeps a second run from changing anything would race them. So it takes the serve
        // lock, and `serve` cannot start while an import runs. A dry run writes nothing and takes no lock.
        CronLock? held = null;
        if (!dryRun)
        {
            Directory.CreateDirectory(folder);
            held = CronLock.TryAcquire(folder, "serve");
            if (held is null)
            {
                var running = ServerInstance.TryRead(folder);
                Log.Error(
                    $"cast2md serve is running on the data folder {folder}"
                        + (running is null ? "" : $" (process {running.ProcessId}, {running.Url})")
                        + $"; stop it, run the import, then start it again (exit {CronLock.BusyExitCode})"
                );
                return CronLock.BusyExitCode;
            }
        }
        using (held)
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            OriginalInstallation? original = null;
            if (!string.IsNullOrWhiteSpace(database))
            {
                Log.Info($"reading the original cast2md database at {OriginalDatabaseUrl.Describe(database)}");
                original = await OriginalDatabase.ReadAsync(database, cancellationToken);
                Log.Info($"found {original.Feeds.Count} feeds, {original.Episodes.Count} episodes, {original.Settings.Count} settings overrides");
            }
            // A dry run on a folder without a database compares against nothing, rather than creating one.
            var core = !dryRun || File.Exists(DataDirectory.DatabasePath(folder)) ? Cast2mdCore.Open(folder) : null;
            var importer = new OriginalImporter(core, new ImportOptions(storageFolder, link, dryRun), Log.Info, json ? null : Console.WriteLine);
            var summary = await importer.RunAsync(original, cancellationToken);
            Log.Info($"import {(dryRun ? "dry run " : "")}finished in {started.Elapsed.TotalSeconds:0.0} s");
            if (json)
                JsonOutput.Write(summary, Cast2mdJsonContext.Default.ImportSummary);
            else
                Print(summary);
            return ExitCodes.Ok;
        }
    }

    private static void Print(ImportSummary s)
    {
        var would = s.DryRun ? "would be " : "";
        if (s.DryRun)
            Console.WriteLine("dry run: nothing was written");
        Console.WriteLine($"feeds:          {s.FeedsFound} found, {s.FeedsCreated} {would}created, {s.FeedsExisting} already here");
        Console.WriteLine(
            $"episodes:       {s.EpisodesFound} found, {s.EpisodesCreated} {would}created, {s.EpisodesUpdated} {would}updated, {s.EpisodesUnchanged} unchanged"
        );
        Console.WriteLine($"transcripts:    {s.TranscriptsFound} found, {s.TranscriptsImported} {would}imported");
        Console.WriteLine($"audio:          {s.AudioFound} found, {s.AudioImported} {would}imported");
        Console.WriteLine($"settings:       {s.SettingsImported} {would}imported, {s.SettingsSkipped.Count} not taken");
        foreach (var skipped in s.SettingsSkipped)
            Console.WriteLine("  " + TerminalText.Clean(skipped));
        Console.WriteLine($"files missing:  {s.MissingFiles.Count}");
        foreach (var missing in s.MissingFiles.Take(20))
            Console.WriteLine("  " + TerminalText.Clean(missing));
        if (s.MissingFiles.Count > 20)
            Console.WriteLine($"  … and {s.MissingFiles.Count - 20} more (--json lists all)");
        Console.WriteLine($"conflicts:      {s.Conflicts.Count}");
        foreach (var conflict in s.Conflicts.Take(20))
            Console.WriteLine("  " + TerminalText.Clean(conflict));
        if (s.Conflicts.Count > 20)
            Console.WriteLine($"  … and {s.Conflicts.Count - 20} more (--json lists all)");
        if (s.UnmatchedTranscripts > 0)
            Console.WriteLine($"unmatched:      {s.UnmatchedTranscripts} transcript files of the storage folder belong to no episode");
    }
}
