using System.Runtime.InteropServices;
using Terminal.Gui.App;
using Terminal.Gui.Views;

namespace Cast2md.Tui.Monitor;

/// <summary>
/// Runs a monitor window on an instance-based Terminal.Gui application (no static Application). q and Ctrl+C are keys
/// the window handles; SIGTERM, SIGINT/SIGHUP (when they arrive as signals) and the command's token all stop the loop,
/// so the application is disposed and the terminal restored. A loop that cannot stop that way — its terminal is gone
/// (a closed SSH session or tmux pane: SIGHUP, and every read fails) — would otherwise spin on, ignoring the signal, so a
/// signal also ends the process outright once <see cref="SignalGrace"/> has passed.
/// </summary>
public static class MonitorApp
{
    /// <summary>How long a signalled monitor may take to restore the terminal before the process exits regardless.</summary>
    public static TimeSpan SignalGrace { get; } = TimeSpan.FromSeconds(2);

    /// <summary>The exit code when a signal had to end the process (interrupted).</summary>
    private const int InterruptedExitCode = 130;

    public static void Run(Func<Window> createWindow, CancellationToken cancellationToken = default)
    {
        ApplyConfiguration();
        using IApplication app = Application.Create().Init();
        using var window = createWindow();
        void Stop() => app.Invoke(() => app.RequestStop());
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle);
        using var hup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Handle);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle);
        using var registration = cancellationToken.Register(Stop);
        app.Run(window);

        void Handle(PosixSignalContext context)
        {
            context.Cancel = true;
            Stop();
            _ = Task.Delay(SignalGrace, CancellationToken.None).ContinueWith(_ => Environment.Exit(InterruptedExitCode), TaskScheduler.Default);
        }
    }

    /// <summary>
    /// Terminal.Gui's own start-up configuration step, which its module initializer runs in a managed process; the native
    /// build leaves the initializer empty (so commands that draw nothing do not pay for it) and runs it here. Applying it
    /// twice sets the same values again. As in the library, bad configuration is collected, not thrown: the monitor runs
    /// on the defaults.
    /// </summary>
    private static void ApplyConfiguration()
    {
        try
        {
            Terminal.Gui.Configuration.TuiConfigurationBuilder.Shared.ApplyToStaticFacades();
        }
        catch (Exception ex)
        {
            Terminal.Gui.Configuration.TuiJsonErrors.Add($"configuration: {ex.Message}");
        }
    }
}
