using System.Text;
using System.Text.RegularExpressions;

namespace Cast2md.Files;

/// <summary>
/// Writes files so that readers see either the old content or the complete new content, never a half-written file:
/// a hidden temporary file in the same folder is written, flushed to disk, then renamed over the target.
/// On failure or cancellation the temporary file is deleted and the target is left as it was.
/// </summary>
/// <remarks>
/// Temporary names are <c>.{fileName}.{32 hex digits}.tmp</c> (the same shape TranscriptWriter uses), which is
/// what <see cref="IsTempFileName"/> and <see cref="StorageLayout.PurgeTemp"/> recognise after a crash.
/// The folder itself is not fsync'ed after the rename (.NET has no API for it), so a power cut right after the
/// rename may still bring back the old file, but never a torn one.
/// </remarks>
public static partial class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    // Keep the temporary name within the 255-byte limit of common file systems.
    private const int MaxFileNameBytes = 255;
    private const int TempOverheadBytes = 1 + 1 + 32 + 4;

    /// <summary>Writes <paramref name="text"/> as UTF-8 (no BOM).</summary>
    public static Task WriteAllTextAsync(string path, string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = Utf8NoBom.GetBytes(text);
        return WriteAllBytesAsync(path, bytes, cancellationToken);
    }

    public static Task WriteAllBytesAsync(string path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default) =>
        WriteAsync(path, (stream, ct) => stream.WriteAsync(bytes, ct).AsTask(), cancellationToken);

    /// <summary>Lets <paramref name="write"/> fill the temporary file's stream, then puts the file in place.</summary>
    public static async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(write);
        cancellationToken.ThrowIfCancellationRequested();

        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{path}' has no folder.", nameof(path));
        var fileName = Path.GetFileName(fullPath);
        if (fileName.Length == 0)
            throw new ArgumentException($"'{path}' names a folder, not a file.", nameof(path));
        if (IsDeviceOrStream(fullPath))
        {
            // /dev/null, /dev/stdout, /dev/fd/63 (a shell's process substitution): there is nothing to replace
            // atomically, and renaming over them would turn a device into an ordinary file (as root, for everyone).
            var device = new FileStream(fullPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1, FileOptions.None);
            await using (device.ConfigureAwait(false))
            {
                await write(device, cancellationToken).ConfigureAwait(false);
                await device.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            return;
        }
        Directory.CreateDirectory(directory);

        var temp = Path.Combine(directory, TempFileName(fileName));
        try
        {
            var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await write(stream, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            cancellationToken.ThrowIfCancellationRequested();
            File.Move(temp, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>An existing device or stream of the kernel's, written in place, never replaced.</summary>
    private static bool IsDeviceOrStream(string fullPath) =>
        !OperatingSystem.IsWindows()
        && (fullPath.StartsWith("/dev/", StringComparison.Ordinal) || fullPath.StartsWith("/proc/", StringComparison.Ordinal))
        && File.Exists(fullPath);

    /// <summary>Whether <paramref name="fileName"/> is a temporary file left behind by an interrupted atomic write.</summary>
    public static bool IsTempFileName(string fileName) => TempNamePattern().IsMatch(fileName);

    [GeneratedRegex(@"^\..*\.[0-9a-f]{32}\.tmp$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex TempNamePattern();

    private static string TempFileName(string fileName)
    {
        var stem = fileName;
        if (Encoding.UTF8.GetByteCount(stem) + TempOverheadBytes > MaxFileNameBytes)
        {
            // Cut between code points so the name stays valid UTF-16.
            var budget = MaxFileNameBytes - TempOverheadBytes;
            var bytes = 0;
            var end = 0;
            foreach (var rune in stem.EnumerateRunes())
            {
                if (bytes + rune.Utf8SequenceLength > budget)
                    break;
                bytes += rune.Utf8SequenceLength;
                end += rune.Utf16SequenceLength;
            }
            stem = stem[..end];
        }
        return $".{stem}.{Guid.NewGuid():N}.tmp";
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
