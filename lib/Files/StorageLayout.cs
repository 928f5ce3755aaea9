using System.Globalization;
using Cast2md.Errors;
using Cast2md.Transcripts;

namespace Cast2md.Files;

/// <summary>
/// Where audio, transcripts, temporary files and the trash live under the data directory, and the names they get.
/// The database stores the relative paths this class hands out (forward slashes); <see cref="Resolve"/> turns
/// them back into absolute paths and refuses anything that would leave the data directory.
/// </summary>
/// <remarks>
/// Names: <c>audio/{podcast}/{YYYY-MM-DD}_{title}_{episodeId}.{ext}</c> and
/// <c>transcripts/{podcast}/{YYYY-MM-DD}_{title}_{episodeId}.md</c>. The episode id makes every name unique
/// (the original had none, so two episodes with the same date and title overwrote each other). The date is the
/// UTC date of publication, or "undated" (the original used today's date, which renamed files between runs).
/// Callers must pass the same podcast title every time (the feed's own title, not a user's custom display title:
/// the original mixed them and split one podcast across two folders).
/// </remarks>
public sealed partial class StorageLayout
{
    /// <summary>Most UTF-8 bytes of the podcast folder name.</summary>
    public const int PodcastNameBytes = 80;

    /// <summary>Most UTF-8 bytes of the title part of a file name (date, id and extension add at most 37 more).</summary>
    public const int EpisodeNameBytes = 120;

    public const string AudioFolder = "audio";
    public const string TranscriptsFolder = "transcripts";
    public const string TempFolder = "tmp";
    public const string TrashFolder = "trash";
    public const string Undated = "undated";

    /// <summary>Audio extensions kept as they are; anything else is stored as .mp3.</summary>
    public static IReadOnlyList<string> AudioExtensions { get; } = ["mp3", "m4a", "m4b", "aac", "ogg", "oga", "opus", "wav", "flac", "webm", "mp4"];

    /// <summary>Transcript formats that can be written beside the Markdown transcript.</summary>
    public static IReadOnlyList<string> TranscriptExtensions { get; } = ["md", "srt", "vtt", "json", "txt"];

    public StorageLayout(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        DataDirectory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataDirectory));
    }

    /// <summary>The absolute data directory.</summary>
    public string DataDirectory { get; }

    /// <summary><c>{data}/tmp</c>: partial downloads and scratch files, purged at start.</summary>
    public string TempDirectory => Path.Combine(DataDirectory, TempFolder);

    /// <summary><c>{data}/trash</c>: files of deleted feeds, purged after a while.</summary>
    public string TrashDirectory => Path.Combine(DataDirectory, TrashFolder);

    public string AudioDirectory => Path.Combine(DataDirectory, AudioFolder);

    public string TranscriptsDirectory => Path.Combine(DataDirectory, TranscriptsFolder);

    /// <summary><c>audio/{podcast}/{YYYY-MM-DD}_{title}_{id}.{ext}</c>; <paramref name="extension"/> outside <see cref="AudioExtensions"/> becomes mp3.</summary>
    public string AudioRelativePath(string podcastTitle, DateTimeOffset? publishedAt, string episodeTitle, long episodeId, string extension) =>
        EpisodePath(AudioFolder, podcastTitle, publishedAt, episodeTitle, episodeId, NormalizeAudioExtension(extension));

    /// <summary>
    /// <c>transcripts/{podcast}/{YYYY-MM-DD}_{title}_{id}.{ext}</c>; <paramref name="extension"/> is one of
    /// <see cref="TranscriptExtensions"/> (md, the stored transcript; the others are written beside it on demand).
    /// </summary>
    /// <exception cref="ArgumentException">The extension is not a transcript format.</exception>
    public string TranscriptRelativePath(
        string podcastTitle,
        DateTimeOffset? publishedAt,
        string episodeTitle,
        long episodeId,
        string extension = "md"
    ) => EpisodePath(TranscriptsFolder, podcastTitle, publishedAt, episodeTitle, episodeId, NormalizeTranscriptExtension(extension));

    /// <summary>As <see cref="TranscriptRelativePath(string, DateTimeOffset?, string, long, string)"/> for a <see cref="TranscriptFormat"/>.</summary>
    public string TranscriptRelativePath(
        string podcastTitle,
        DateTimeOffset? publishedAt,
        string episodeTitle,
        long episodeId,
        TranscriptFormat format
    ) => TranscriptRelativePath(podcastTitle, publishedAt, episodeTitle, episodeId, FormatExtension(format));

    /// <summary>The same transcript in another format, beside <paramref name="transcriptRelativePath"/> (…/x_12.md → …/x_12.srt).</summary>
    public static string SiblingTranscriptPath(string transcriptRelativePath, TranscriptFormat format)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(transcriptRelativePath);
        var slash = transcriptRelativePath.LastIndexOf('/');
        var dot = transcriptRelativePath.LastIndexOf('.');
        var stem = dot > slash ? transcriptRelativePath[..dot] : transcriptRelativePath;
        return stem + "." + FormatExtension(format);
    }

    /// <summary>
    /// The absolute path of a stored relative path. Accepts '/' or '\' as separators.
    /// </summary>
    /// <exception cref="Cast2mdException">The path is empty, absolute, has a '..' segment or resolves outside the data directory.</exception>
    public string Resolve(string relativePath)
    {
        if (string.IsNullOrWhiteSpace(relativePath))
            throw new Cast2mdException("A stored file path is empty.");
        if (relativePath.Contains('\0'))
            throw new Cast2mdException("A stored file path contains a NUL character.");

        var normalized = relativePath.Replace('\\', '/');
        if (normalized.StartsWith('/') || Path.IsPathRooted(relativePath) || HasDriveLetter(normalized))
            throw new Cast2mdException($"'{relativePath}' is an absolute path; only paths relative to the data directory are accepted.");
        var segments = normalized.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Any(s => s == ".."))
            throw new Cast2mdException($"'{relativePath}' leaves the data directory ('..').");

        var full = Path.GetFullPath(Path.Combine([DataDirectory, .. segments.Where(s => s != ".")]));
        var root = DataDirectory + Path.DirectorySeparatorChar;
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        if (!full.StartsWith(root, comparison))
            throw new Cast2mdException($"'{relativePath}' does not name a file inside the data directory.");
        return full;
    }

    /// <summary>The extension of the audio file behind <paramref name="url"/>: from the URL path, else the content type, else "mp3".</summary>
    public static string ExtensionFromUrl(string? url, string? contentType)
    {
        if (ExtensionFromPath(url) is { } fromPath)
            return fromPath;
        if (ExtensionFromContentType(contentType) is { } fromType)
            return fromType;
        return "mp3";
    }

    /// <summary>A known audio extension (lower case, no dot), or "mp3".</summary>
    public static string NormalizeAudioExtension(string? extension)
    {
        var candidate = (extension ?? "").Trim().TrimStart('.').ToLowerInvariant();
        return AudioExtensions.Contains(candidate) ? candidate : "mp3";
    }

    private static string NormalizeTranscriptExtension(string? extension)
    {
        var candidate = (extension ?? "").Trim().TrimStart('.').ToLowerInvariant();
        return TranscriptExtensions.Contains(candidate)
            ? candidate
            : throw new ArgumentException(
                $"'{extension}' is not a transcript format ({string.Join(", ", TranscriptExtensions)}).",
                nameof(extension)
            );
    }

    private static string FormatExtension(TranscriptFormat format) => TranscriptFormats.Extension(format);

    private static string EpisodePath(
        string folder,
        string podcastTitle,
        DateTimeOffset? publishedAt,
        string episodeTitle,
        long episodeId,
        string extension
    )
    {
        ArgumentOutOfRangeException.ThrowIfNegative(episodeId);
        var podcast = FileNames.Sanitize(podcastTitle, PodcastNameBytes);
        var title = FileNames.Sanitize(episodeTitle, EpisodeNameBytes);
        var date = publishedAt is { } published ? published.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : Undated;
        return $"{folder}/{podcast}/{date}_{title}_{episodeId.ToString(CultureInfo.InvariantCulture)}.{extension}";
    }

    private static bool HasDriveLetter(string path) => path.Length >= 2 && path[1] == ':' && char.IsAsciiLetter(path[0]);

    private static string? ExtensionFromPath(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
            return null;
        var path = Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) && !uri.IsFile ? uri.AbsolutePath : url.Split('?', '#')[0];
        var lastSegment = path[(path.LastIndexOf('/') + 1)..];
        var dot = lastSegment.LastIndexOf('.');
        if (dot < 0)
            return null;
        var extension = Uri.UnescapeDataString(lastSegment[(dot + 1)..]).Trim().ToLowerInvariant();
        return AudioExtensions.Contains(extension) ? extension : null;
    }

    private static string? ExtensionFromContentType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
            return null;
        var mediaType = contentType.Split(';')[0].Trim().ToLowerInvariant();
        return mediaType switch
        {
            "audio/mpeg" or "audio/mp3" or "audio/mpeg3" or "audio/x-mpeg" or "audio/x-mp3" or "audio/x-mpeg-3" => "mp3",
            "audio/mp4" or "audio/x-m4a" or "audio/m4a" or "audio/mp4a-latm" => "m4a",
            "audio/x-m4b" or "audio/m4b" => "m4b",
            "audio/aac" or "audio/aacp" or "audio/x-aac" => "aac",
            "audio/ogg" or "application/ogg" or "audio/vorbis" or "audio/x-ogg" => "ogg",
            "audio/opus" => "opus",
            "audio/wav" or "audio/x-wav" or "audio/wave" or "audio/vnd.wave" => "wav",
            "audio/flac" or "audio/x-flac" => "flac",
            "audio/webm" or "video/webm" => "webm",
            "video/mp4" or "video/x-m4v" => "mp4",
            _ => null,
        };
    }
}
