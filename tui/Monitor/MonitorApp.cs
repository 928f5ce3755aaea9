using System.Runtime.InteropServices;
using Terminal.Gui.App;
using Terminal.Gui.Views;

namespace Cast2md.Tui.Monitor;

/// <summary>
/// Runs a monitor window on an instance-based Terminal.Gui application (no static Application). q and Ctrl+C are keys
/// the window handles; SIGTERM, SIGINT/SIGHUP (when they arrive as signals) and the command's token all stop the loop,
/// so the application is disposed and the terminal restored.
/// </summary>
public static class MonitorApp
{
    public static void Run(Func<Window> createWindow, CancellationToken cancellationToken = default)
    {
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
        }
    }
}
