using System.Globalization;

namespace Cast2md.Import;

/// <summary>
/// Finds an episode's files in an original cast2md's storage folder (its STORAGE_PATH: <c>transcripts/{podcast}/</c>
/// and <c>audio/{podcast}/</c>). First by the path its database stored, which is absolute and often from another
/// machine or a container (<c>/app/data/podcasts/transcripts/…</c>), so what follows its last <c>transcripts/</c> or
/// <c>audio/</c> is looked up under this folder, and the path itself when it exists here; then by the original's
/// naming rule (<see cref="OriginalNames"/>), under the feed's title and under its custom title, since the original
/// used either depending on which code path wrote the file.
/// </summary>
public sealed class OriginalStorage(string? root)
{
    public const string TranscriptsFolder = "transcripts";
    public const string AudioFolder = "audio";

    private readonly Dictionary<string, Dictionary<string, List<string>>> _listings = new(StringComparer.Ordinal);

    /// <summary>The storage folder, or null when only the stored absolute paths can be tried.</summary>
    public string? Root { get; } = root is null ? null : Path.GetFullPath(root);

    /// <summary>The episode's Markdown transcript, or null.</summary>
    public string? FindTranscript(string? storedPath, IEnumerable<string?> podcastTitles, DateTime? publishedAt, string title) =>
        ByStoredPath(storedPath, TranscriptsFolder) ?? ByName(TranscriptsFolder, podcastTitles, publishedAt, title, ["md"]);

    /// <summary>The episode's audio file, or null; by name the enclosure's extension first, then any other audio file of that name.</summary>
    public string? FindAudio(string? storedPath, IEnumerable<string?> podcastTitles, DateTime? publishedAt, string title, string? audioUrl) =>
        ByStoredPath(storedPath, AudioFolder)
        ?? ByName(AudioFolder, podcastTitles, publishedAt, title, [OriginalNames.AudioExtension(audioUrl), "mp3", "m4a", "wav", "ogg", "opus"]);

    /// <summary>Every Markdown file under <c>transcripts/</c> (to report those no episode claimed).</summary>
    public IEnumerable<string> AllTranscripts()
    {
        var folder = Root is null ? null : Path.Combine(Root, TranscriptsFolder);
        return folder is not null && Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.md", SearchOption.AllDirectories).Select(Path.GetFullPath)
            : [];
    }

    private string? ByStoredPath(string? storedPath, string folder)
    {
        if (string.IsNullOrWhiteSpace(storedPath))
            return null;
        var normalized = storedPath.Replace('\\', '/');
        if (Root is not null)
        {
            var marker = "/" + folder + "/";
            var at = normalized.LastIndexOf(marker, StringComparison.Ordinal);
            var suffix =
                at >= 0 ? normalized[(at + marker.Length)..]
                : normalized.StartsWith(folder + "/", StringComparison.Ordinal) ? normalized[(folder.Length + 1)..]
                : null;
            if (suffix is not null && !suffix.Split('/').Contains(".."))
            {
                var candidate = Path.GetFullPath(Path.Combine([Root, folder, .. suffix.Split('/', StringSplitOptions.RemoveEmptyEntries)]));
                if (File.Exists(candidate))
                    return candidate;
            }
        }
        // The original on this same machine (bare metal) stored absolute paths that are still right.
        return Path.IsPathRooted(storedPath) && File.Exists(storedPath) ? Path.GetFullPath(storedPath) : null;
    }

    private string? ByName(string folder, IEnumerable<string?> podcastTitles, DateTime? publishedAt, string title, IReadOnlyList<string> extensions)
    {
        if (Root is null)
            return null;
        var name = OriginalNames.Sanitize(title);
        foreach (
            var podcast in podcastTitles
                .Where(t => !string.IsNullOrWhiteSpace(t))
                .Select(t => OriginalNames.Sanitize(t))
                .Distinct(StringComparer.Ordinal)
        )
        {
            var listing = Listing(Path.Combine(Root, folder, podcast));
            if (listing.Count == 0)
                continue;
            if (publishedAt is { } published)
            {
                var stem = published.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "_" + name;
                if (listing.TryGetValue(stem, out var files) && Pick(files, extensions) is { } found)
                    return found;
                continue;
            }
            // Without a date the original used the day it wrote the file: any one date will do, if only one matches.
            var undated = listing
                .Where(l =>
                    l.Key.Length == 11 + name.Length
                    && l.Key.EndsWith("_" + name, StringComparison.Ordinal)
                    && DateOnly.TryParseExact(l.Key[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                )
                .Select(l => Pick(l.Value, extensions))
                .Where(f => f is not null)
                .ToList();
            if (undated.Count == 1)
                return undated[0];
        }
        return null;
    }

    private static string? Pick(List<string> files, IReadOnlyList<string> extensions)
    {
        foreach (var extension in extensions)
            if (files.FirstOrDefault(f => f.EndsWith("." + extension, StringComparison.Ordinal)) is { } file)
                return file;
        return null;
    }

    /// <summary>A folder's files by stem (name without extension), read once.</summary>
    private Dictionary<string, List<string>> Listing(string folder)
    {
        if (_listings.TryGetValue(folder, out var listing))
            return listing;
        listing = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (Directory.Exists(folder))
            foreach (var file in Directory.EnumerateFiles(folder))
            {
                var stem = Path.GetFileNameWithoutExtension(file);
                if (!listing.TryGetValue(stem, out var files))
                    listing[stem] = files = [];
                files.Add(Path.GetFullPath(file));
            }
        return _listings[folder] = listing;
    }
}
