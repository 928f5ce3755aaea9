using System.Diagnostics;

namespace Cast2md.Cli.Infrastructure;

/// <summary>
/// Cancels when a given parent process ends. A server killed with SIGKILL cannot stop its child transcriptions;
/// they notice within a second and stop instead of finishing work nobody will collect.
/// </summary>
internal static class ParentWatch
{
    public static CancellationTokenSource Start(int? parentProcessId)
    {
        var gone = new CancellationTokenSource();
        if (parentProcessId is not { } pid)
            return gone;
        var startedAt = StartTime(pid);
        _ = Task.Run(async () =>
        {
            while (!gone.IsCancellationRequested)
            {
                // A recycled pid has another start time: that is not our parent.
                if (StartTime(pid) is not { } now || now != startedAt)
                {
                    Log.Warn($"parent process {pid} is gone; stopping");
                    await gone.CancelAsync();
                    return;
                }
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        });
        return gone;
    }

    private static DateTime? StartTime(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited ? null : process.StartTime;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
