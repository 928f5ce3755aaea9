using Cast2md.Cli.Infrastructure;

namespace Cast2md.Cli.Commands;

/// <summary>
/// An exclusive lock file in {data}/locks/, so two runs of a cron-driven command (<c>feed refresh --all</c>,
/// <c>process --new --wait</c>) never overlap: the second exits at once with <see cref="BusyExitCode"/>.
/// The lock is an OS file lock (flock on Unix), so a killed run leaves no stale lock behind.
/// </summary>
internal sealed class CronLock : IDisposable
{
    /// <summary>EX_TEMPFAIL from sysexits.h: another run holds the lock; try again later.</summary>
    public const int BusyExitCode = 75;

    public const string Folder = "locks";

    private readonly FileStream _stream;

    private CronLock(FileStream stream) => _stream = stream;

    public static string PathFor(string dataDirectory, string name) => Path.Combine(dataDirectory, Folder, name + ".lock");

    /// <summary>Takes the lock, or returns null when another process holds it.</summary>
    public static CronLock? TryAcquire(string dataDirectory, string name)
    {
        var path = PathFor(dataDirectory, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            // FileShare.None is an exclusive, non-blocking flock on Unix and a sharing lock on Windows.
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            var text = System.Text.Encoding.UTF8.GetBytes($"{Environment.ProcessId}\n{DateTimeOffset.Now:O}\n");
            stream.Write(text);
            stream.Flush();
            return new CronLock(stream);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Takes the lock or says why not; the caller returns <see cref="BusyExitCode"/> when this is null.</summary>
    public static CronLock? AcquireOrReport(string dataDirectory, string name, string what)
    {
        var held = TryAcquire(dataDirectory, name);
        if (held is null)
            Log.Error(
                $"another '{what}' is still running on this data folder (lock {PathFor(dataDirectory, name)}); skipping this run (exit {BusyExitCode})"
            );
        return held;
    }

    public void Dispose() => _stream.Dispose();
}
