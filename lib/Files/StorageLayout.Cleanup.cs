using System.Globalization;
using System.Text.RegularExpressions;

namespace Cast2md.Files;

public sealed partial class StorageLayout
{
    /// <summary>How long trash is kept before <see cref="PurgeTrash"/> deletes it (as the original).</summary>
    public static TimeSpan DefaultTrashRetention { get; } = TimeSpan.FromDays(30);

    /// <summary>How old a temporary file must be before <see cref="PurgeTemp"/> deletes it (as the original).</summary>
    public static TimeSpan DefaultTempRetention { get; } = TimeSpan.FromHours(24);

    private const string TrashStampFormat = "yyyyMMdd_HHmmss";

    /// <summary>
    /// Moves the files of a deleted feed into <c>trash/{podcast}_{feedId}_{yyyyMMdd_HHmmss}/{audio,transcripts}/</c>
    /// (time in UTC) and removes podcast folders left empty. Missing files are skipped. A second delete within the
    /// same second gets its own folder (<c>…_2</c>).
    /// </summary>
    /// <returns>The absolute trash folder; it exists only when at least one file was moved.</returns>
    /// <exception cref="Cast2md.Errors.Cast2mdException">A path leaves the data directory (nothing is moved then).</exception>
    public string MoveToTrash(string podcastTitle, long feedId, IEnumerable<string> relativePaths, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(relativePaths);
        var baseName = string.Create(
            CultureInfo.InvariantCulture,
            $"{FileNames.Sanitize(podcastTitle, PodcastNameBytes)}_{feedId}_{now.UtcDateTime.ToString(TrashStampFormat, CultureInfo.InvariantCulture)}"
        );
        var folder = Path.Combine(TrashDirectory, baseName);
        for (var n = 2; Directory.Exists(folder); n++)
            folder = Path.Combine(TrashDirectory, string.Create(CultureInfo.InvariantCulture, $"{baseName}_{n}"));

        // Resolve everything first: a bad path fails the call before any file has moved.
        var sources = relativePaths.Distinct(StringComparer.Ordinal).Select(p => (RelativePath: p, Source: Resolve(p))).ToArray();
        foreach (var (relativePath, source) in sources)
        {
            if (!File.Exists(source))
                continue;

            var top = relativePath.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries)[0];
            var targetDirectory = Path.Combine(folder, top == AudioFolder || top == TranscriptsFolder ? top : "other");
            Directory.CreateDirectory(targetDirectory);
            File.Move(source, UniqueTarget(targetDirectory, Path.GetFileName(source)));
            DeleteEmptyParents(Path.GetDirectoryName(source)!);
        }
        return folder;
    }

    /// <summary>Deletes trash folders older than <paramref name="olderThan"/> (by the time in their name, else their last write time).</summary>
    /// <returns>How many entries of the trash folder were deleted.</returns>
    public int PurgeTrash(TimeSpan olderThan, DateTimeOffset now)
    {
        if (!Directory.Exists(TrashDirectory))
            return 0;
        var cutoff = now - olderThan;
        var deleted = 0;
        foreach (var entry in new DirectoryInfo(TrashDirectory).EnumerateFileSystemInfos())
        {
            var stamp =
                entry is DirectoryInfo && TrashStamp(entry.Name) is { } named ? named : new DateTimeOffset(entry.LastWriteTimeUtc, TimeSpan.Zero);
            if (stamp >= cutoff)
                continue;
            if (TryDelete(entry))
                deleted++;
        }
        return deleted;
    }

    /// <summary>
    /// Deletes temporary files last written before <paramref name="now"/> − <paramref name="olderThan"/>: everything in
    /// <see cref="TempDirectory"/>, and partial downloads (<c>*.part</c>) and abandoned <see cref="AtomicFile"/> temp files
    /// in the audio and transcript folders. Empty folders left in the temp directory are removed.
    /// </summary>
    /// <returns>How many files were deleted.</returns>
    public int PurgeTemp(TimeSpan olderThan, DateTimeOffset now)
    {
        var cutoff = (now - olderThan).UtcDateTime;
        var deleted = 0;
        if (Directory.Exists(TempDirectory))
        {
            var emptied = new HashSet<string>(StringComparer.Ordinal);
            foreach (var file in new DirectoryInfo(TempDirectory).EnumerateFiles("*", AllFiles).ToArray())
            {
                if (file.LastWriteTimeUtc >= cutoff || !TryDelete(file))
                    continue;
                deleted++;
                emptied.Add(file.DirectoryName!);
            }
            // Deepest first, so a folder whose only content was an old empty folder goes too.
            foreach (
                var directory in new DirectoryInfo(TempDirectory)
                    .EnumerateDirectories("*", AllFiles)
                    .OrderByDescending(d => d.FullName.Length)
                    .ToArray()
            )
                if (
                    (directory.LastWriteTimeUtc < cutoff || emptied.Contains(directory.FullName))
                    && !directory.EnumerateFileSystemInfos().Any()
                    && TryDelete(directory)
                )
                    emptied.Add(directory.Parent!.FullName);
        }

        foreach (var root in new[] { AudioDirectory, TranscriptsDirectory })
        {
            if (!Directory.Exists(root))
                continue;
            foreach (var file in new DirectoryInfo(root).EnumerateFiles("*", AllFiles))
                if (
                    (file.Name.EndsWith(".part", StringComparison.OrdinalIgnoreCase) || AtomicFile.IsTempFileName(file.Name))
                    && file.LastWriteTimeUtc < cutoff
                    && TryDelete(file)
                )
                    deleted++;
        }
        return deleted;
    }

    private static readonly EnumerationOptions AllFiles = new()
    {
        RecurseSubdirectories = true,
        IgnoreInaccessible = true,
        AttributesToSkip = FileAttributes.ReparsePoint,
    };

    [GeneratedRegex(@"_(\d{8}_\d{6})(?:_\d+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex TrashStampPattern();

    private static DateTimeOffset? TrashStamp(string folderName)
    {
        var match = TrashStampPattern().Match(folderName);
        return
            match.Success
            && DateTime.TryParseExact(
                match.Groups[1].Value,
                TrashStampFormat,
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                out var stamp
            )
            ? new DateTimeOffset(stamp, TimeSpan.Zero)
            : null;
    }

    private static string UniqueTarget(string directory, string fileName)
    {
        var target = Path.Combine(directory, fileName);
        var stem = Path.GetFileNameWithoutExtension(fileName);
        var extension = Path.GetExtension(fileName);
        for (var n = 2; File.Exists(target); n++)
            target = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"{stem}_{n}{extension}"));
        return target;
    }

    /// <summary>Removes now-empty folders between a moved file and the audio/transcripts root (never the root itself).</summary>
    private void DeleteEmptyParents(string directory)
    {
        var stops = new[] { DataDirectory, AudioDirectory, TranscriptsDirectory };
        for (
            var current = directory;
            current.StartsWith(DataDirectory + Path.DirectorySeparatorChar, StringComparison.Ordinal) && !stops.Contains(current);
            current = Path.GetDirectoryName(current)!
        )
        {
            try
            {
                if (Directory.EnumerateFileSystemEntries(current).Any())
                    return;
                Directory.Delete(current);
            }
            catch (IOException)
            {
                return;
            }
            catch (UnauthorizedAccessException)
            {
                return;
            }
        }
    }

    private static bool TryDelete(FileSystemInfo entry)
    {
        try
        {
            if (entry is DirectoryInfo directory)
                directory.Delete(recursive: true);
            else
                entry.Delete();
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
