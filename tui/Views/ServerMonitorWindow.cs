using Cast2md.Tui.Client;
using Cast2md.Tui.ViewModels;
using Terminal.Gui.App;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Cast2md.Tui.Views;

/// <summary>
/// `cast2md monitor`: Status, Queue, Nodes, Feeds and Settings tabs over one server. A timer on the UI loop starts a
/// refresh every second when none is in flight; the HTTP calls run on the thread pool and their snapshot is applied with
/// <see cref="IApplication.Invoke(Action)"/>. When the server goes away the last data stays and the top line says so.
/// </summary>
public sealed class ServerMonitorWindow : Window
{
    /// <summary>How often a refresh starts (the issue asks for at least every 2 s).</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    private readonly IServerApi _api;
    private readonly Glyphs _glyphs;
    private readonly TimeProvider _clock;
    private readonly bool _autoRefresh;
    private readonly Label _connection;
    private readonly Label _message;
    private readonly Tabs _tabs;
    private readonly TabPage[] _pages;
    private readonly MonitorActions _actions;
    private object? _timer;
    private int _inFlight;
    private int _ticks;
    private ServerSnapshot? _last;

    /// <param name="autoRefresh">False in the view specs: they apply fixed snapshots themselves.</param>
    public ServerMonitorWindow(IServerApi api, Glyphs glyphs, TimeProvider? clock = null, bool autoRefresh = true)
    {
        _api = api;
        _glyphs = glyphs;
        _clock = clock ?? TimeProvider.System;
        _autoRefresh = autoRefresh;
        Title = "cast2md monitor";
        _actions = new MonitorActions(api, glyphs, ShowMessage, RefreshNow);
        _connection = new Label { X = 0, Y = 0, Width = Dim.Fill(), Height = 1, Text = StatusViewModel.Connection(api.ServerUrl, null, glyphs) };
        _pages = [new StatusTab(_actions), new QueueTab(_actions), new NodesTab(_actions), new FeedsTab(_actions), new SettingsTab(_actions)];
        _tabs = new Tabs { X = 0, Y = 1, Width = Dim.Fill(), Height = Dim.Fill(2) };
        foreach (var page in _pages)
            _tabs.Add(page);
        _message = new Label { X = 0, Y = Pos.AnchorEnd(2), Width = Dim.Fill(), Height = 1, Text = "" };
        var bar = new StatusBar([
            new Shortcut(Key.Q, "Quit", () => App?.RequestStop(), ""),
            new Shortcut(Key.D1, "Status", () => Select(0), ""),
            new Shortcut(Key.D2, "Queue", () => Select(1), ""),
            new Shortcut(Key.D3, "Nodes", () => Select(2), ""),
            new Shortcut(Key.D4, "Feeds", () => Select(3), ""),
            new Shortcut(Key.D5, "Settings", () => Select(4), ""),
        ]);
        Add(_connection, _tabs, _message, bar);
    }

    /// <summary>The page in front (0 Status … 4 Settings).</summary>
    public int SelectedTab => _tabs.Value is { } v ? Array.IndexOf(_pages, v) : 0;

    public void Select(int index)
    {
        if (index >= 0 && index < _pages.Length)
        {
            _tabs.Value = _pages[index];
            _pages[index].SetFocus();
            if (_last is not null && index >= 3)
                RefreshNow();
        }
    }

    /// <summary>Shows a snapshot: every tab when the server answered, only the connection line when it did not.</summary>
    public void Apply(ServerSnapshot snapshot)
    {
        var text = StatusViewModel.Connection(_api.ServerUrl, snapshot, _glyphs, _clock.LocalTimeZone);
        if (_connection.Text != text)
            _connection.Text = text;
        if (!snapshot.IsReachable)
            return;
        // Feeds and settings are fetched less often: keep the last ones when this round skipped them.
        if (_last is not null && snapshot.Settings is null)
            snapshot = snapshot with { Feeds = _last.Feeds, Settings = _last.Settings };
        _last = snapshot;
        var now = _clock.GetUtcNow();
        foreach (var page in _pages)
            page.Apply(snapshot, now);
    }

    /// <summary>The feed episodes the Feeds tab shows (view specs).</summary>
    public void ShowEpisodes(long feedId, string feedTitle, IReadOnlyList<Cast2md.Api.EpisodeResponse> episodes) =>
        ((FeedsTab)_pages[3]).ShowEpisodes(feedId, feedTitle, episodes);

    public void ShowMessage(string message)
    {
        var line = Format.Fit(message, 200);
        if (_message.Text != line)
            _message.Text = line;
    }

    protected override void OnIsRunningChanged(bool newIsRunning)
    {
        base.OnIsRunningChanged(newIsRunning);
        if (newIsRunning && App is { } app)
        {
            _actions.App = app;
            app.Keyboard.KeyDown += OnAppKeyDown;
            if (_autoRefresh && _timer is null)
            {
                _timer = app.AddTimeout(RefreshInterval, OnTick);
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

    /// <summary>Keys reach us before any view, and only while no dialog is open: q and Ctrl+C quit, 1–5 switch tabs, letters are the tab's actions.</summary>
    private void OnAppKeyDown(object? sender, Key key)
    {
        if (App is not { } app || !ReferenceEquals(app.TopRunnableView, this))
            return;
        if (key == Key.Q || key == Key.Q.WithShift || key == Key.C.WithCtrl)
        {
            key.Handled = true;
            app.RequestStop();
            return;
        }
        if (key == Key.F5)
        {
            key.Handled = true;
            RefreshNow();
            return;
        }
        if (key.KeyCode >= Terminal.Gui.Drivers.KeyCode.D1 && key.KeyCode <= Terminal.Gui.Drivers.KeyCode.D5)
        {
            key.Handled = true;
            Select((int)(key.KeyCode - Terminal.Gui.Drivers.KeyCode.D1));
            return;
        }
        var index = SelectedTab;
        if (index >= 0 && _pages[index].HandleKey(key))
            key.Handled = true;
    }

    private bool OnTick()
    {
        _ticks++;
        RefreshNow();
        return true;
    }

    /// <summary>Starts a refresh unless one is running; never blocks the UI loop.</summary>
    public void RefreshNow()
    {
        if (App is not { } app || Interlocked.CompareExchange(ref _inFlight, 1, 0) != 0)
            return;
        var full = _last?.Settings is null || SelectedTab >= 3 || _ticks % 5 == 0;
        _ = Task.Run(async () =>
        {
            try
            {
                var snapshot = await _api.FetchAsync(full);
                app.Invoke(() => Apply(snapshot));
            }
            finally
            {
                Interlocked.Exchange(ref _inFlight, 0);
            }
        });
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            StopTimer();
        base.Dispose(disposing);
    }
}
