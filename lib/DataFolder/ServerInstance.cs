using System.Diagnostics;

namespace Cast2md.DataFolder;

/// <summary>
/// A running `serve` announces itself in {data}/server.pid (process id and URL), so CLI commands on the same
/// data folder know whether a server is doing the work or they must do it themselves.
/// </summary>
public sealed record ServerInstance(int ProcessId, string Url)
{
    public const string FileName = "server.pid";

    public static void Announce(string dataDirectory, string url)
    {
        var path = Path.Combine(dataDirectory, FileName);
        var temp = path + ".tmp";
        File.WriteAllText(temp, $"{Environment.ProcessId}\n{url}\n");
        File.Move(temp, path, overwrite: true);
    }

    public static void Withdraw(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (TryRead(dataDirectory) is { } instance && instance.ProcessId == Environment.ProcessId)
            File.Delete(path);
    }

    /// <summary>The announced server if its process is still alive; a stale file (killed server) reads as none.</summary>
    public static ServerInstance? TryRead(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        try
        {
            var lines = File.ReadAllLines(path);
            if (lines.Length < 2 || !int.TryParse(lines[0], out var pid))
                return null;
            using var process = Process.GetProcessById(pid);
            return process.HasExited ? null : new ServerInstance(pid, lines[1].Trim());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }
}
