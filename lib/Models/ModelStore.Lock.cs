namespace Cast2md.Models;

public sealed partial class ModelStore
{
    private const string PartSuffix = ".part";
    private const string LockSuffix = ".lock";

    /// <summary>How often a download waiting for another process's lock on the same file looks again.</summary>
    public TimeSpan LockPollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    // One downloader per file, across processes: {file}.lock opened with FileShare.None. .NET takes an exclusive
    // flock() for FileShare.None on Unix and a sharing-mode lock on Windows, and the OS drops it if the process dies,
    // so a crashed download never leaves a stale lock. DeleteOnClose keeps the directory clean; the .part itself is
    // also opened with FileShare.None as a second guard.
    private static FileStream? TryAcquireLock(string finalPath)
    {
        var lockPath = finalPath + LockSuffix;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (File.Exists(lockPath))
            {
                return null; // held by another download
            }
            catch (IOException) when (attempt == 0)
            {
                // The holder may have just closed (and deleted) it: look once more before calling it an error.
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new ModelException($"Cannot create {lockPath}: {ex.Message}", ex);
            }
        }
    }

    private async Task<FileStream> AcquireLockAsync(string finalPath, Action<string>? onNotice, CancellationToken cancellationToken)
    {
        var told = false;
        while (true)
        {
            if (TryAcquireLock(finalPath) is { } acquired)
                return acquired;
            if (!told)
            {
                onNotice?.Invoke($"Waiting for another cast2md process to finish downloading {Path.GetFileName(finalPath)}.");
                told = true;
            }
            await Task.Delay(LockPollInterval, cancellationToken).ConfigureAwait(false);
        }
    }
}
