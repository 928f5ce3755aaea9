using Terminal.Gui.App;
using Terminal.Gui.Input;
using Terminal.Gui.Views;

namespace Cast2md.Tui.Views;

/// <summary>
/// What both monitors share: a timer on the UI loop starts a refresh every <see cref="RefreshInterval"/> when none is in
/// flight; the HTTP calls run on the thread pool and their result is applied with <see cref="IApplication.Invoke(Action)"/>.
/// Keys reach the window before any view, and only while no dialog is open: q and Ctrl+C quit, F5 refreshes, the digit
/// keys switch tabs, other keys go to <see cref="HandleActionKey"/>. While a text field has the focus (the Search tab's
/// query) only Ctrl+C and F5 are the window's: q, digits and letters are typed into the field.
/// </summary>
public abstract class MonitorWindow(bool autoRefresh) : Window
{
    /// <summary>How often a refresh starts (at least every 2 s, so that progress and node heartbeats look live).</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    private object? _timer;
    private int _inFlight;

    /// <summary>How many tabs the digit keys select (1 is the first).</summary>
    protected abstract int PageCount { get; }

    public abstract void Select(int index);

    /// <summary>
    /// Starts fetching (called on the UI thread: read UI state before the first await) and returns what shows the
    /// result, which then runs on the UI thread.
    /// </summary>
    protected abstract Task<Action> FetchAsync();

    /// <summary>A tab's own keys (actions); true when handled.</summary>
    protected virtual bool HandleActionKey(Key key) => false;

    /// <summary>Called once the window runs in <paramref name="app"/>.</summary>
    protected virtual void OnStarted(IApplication app) { }

    /// <summary>Called on every timer tick before the refresh starts.</summary>
    protected virtual void OnTick() { }

    /// <summary>Starts a refresh unless one is running; never blocks the UI loop.</summary>
    public void RefreshNow()
    {
        if (App is not { } app || Interlocked.CompareExchange(ref _inFlight, 1, 0) != 0)
            return;
        Task<Action> fetch;
        try
        {
            fetch = FetchAsync();
        }
        catch
        {
            Interlocked.Exchange(ref _inFlight, 0);
            throw;
        }
        _ = Task.Run(async () =>
        {
            try
            {
                var apply = await fetch.ConfigureAwait(false);
                app.Invoke(apply);
            }
            finally
            {
                Interlocked.Exchange(ref _inFlight, 0);
            }
        });
    }

    protected override void OnIsRunningChanged(bool newIsRunning)
    {
        base.OnIsRunningChanged(newIsRunning);
        if (newIsRunning && App is { } app)
        {
            OnStarted(app);
            app.Keyboard.KeyDown += OnAppKeyDown;
            if (autoRefresh && _timer is null)
            {
                _timer = app.AddTimeout(RefreshInterval, () =>
                {
                    OnTick();
                    RefreshNow();
                    return true;
                });
                RefreshNow();
            }
        }
        else if (!newIsRunning)
        {
            StopTimer();
        }
    }

    private void StopTimer()
    {
        if (App is { } app)
        {
            app.Keyboard.KeyDown -= OnAppKeyDown;
            if (_timer is not null)
                app.RemoveTimeout(_timer);
        }
        _timer = null;
    }

    private void OnAppKeyDown(object? sender, Key key)
    {
        if (App is not { } app || !ReferenceEquals(app.TopRunnableView, this))
            return;
        var typing = MostFocused is TextField;
        if (key == Key.C.WithCtrl || (!typing && (key == Key.Q || key == Key.Q.WithShift)))
        {
            key.Handled = true;
            app.RequestStop();
        }
        else if (key == Key.F5)
        {
            key.Handled = true;
            RefreshNow();
        }
        else if (!typing && key.KeyCode >= Terminal.Gui.Drivers.KeyCode.D1 && (int)(key.KeyCode - Terminal.Gui.Drivers.KeyCode.D1) < PageCount)
        {
            key.Handled = true;
            Select((int)(key.KeyCode - Terminal.Gui.Drivers.KeyCode.D1));
        }
        else if (HandleActionKey(key))
        {
            key.Handled = true;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            StopTimer();
        base.Dispose(disposing);
    }
}
