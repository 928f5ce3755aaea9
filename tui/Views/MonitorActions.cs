using Cast2md.Tui.Client;
using Cast2md.Tui.ViewModels;
using Terminal.Gui.App;

namespace Cast2md.Tui.Views;

/// <summary>
/// What the tabs need from the window: the API, the glyphs, and a way to run a call off the UI loop whose outcome lands on
/// the message line (then the screen refreshes at once).
/// </summary>
internal sealed class MonitorActions(IServerApi api, Glyphs glyphs, Action<string> showMessage, Action refreshNow)
{
    public IServerApi Api { get; } = api;

    public Glyphs Glyphs { get; } = glyphs;

    public IApplication? App { get; set; }

    public void Show(string message) => showMessage(message);

    /// <summary>Runs <paramref name="call"/> on the thread pool; its message (or error) comes back through <see cref="IApplication.Invoke(Action)"/>.</summary>
    public void Run(string doing, Func<CancellationToken, Task<string>> call, Action<string>? then = null)
    {
        Show(doing + "…");
        var app = App;
        _ = Task.Run(async () =>
        {
            string message;
            bool ok;
            try
            {
                message = await call(CancellationToken.None);
                ok = true;
            }
            catch (Cast2md.Api.ApiCallException ex)
            {
                message = $"{doing} failed: {ex.Message}";
                ok = false;
            }
            app?.Invoke(() =>
            {
                Show(message);
                if (ok)
                    then?.Invoke(message);
                refreshNow();
            });
        });
    }
}
