using Cast2md.Tui.Client;
using Cast2md.Tui.ViewModels;
using Terminal.Gui.App;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Cast2md.Tui.Views;

/// <summary>
/// `cast2md monitor`: Status, Queue, Nodes, Feeds, Settings and Search tabs over one server, refreshed as <see cref="MonitorWindow"/>
/// says. When the server goes away the last data stays and the top line says so.
/// </summary>
public sealed class ServerMonitorWindow : MonitorWindow
{
    private readonly IServerApi _api;
    private readonly Glyphs _glyphs;
    private readonly TimeProvider _clock;
    private readonly Label _connection;
    private readonly Label _message;
    private readonly Tabs _tabs;
    private readonly TabPage[] _pages;
    private readonly MonitorActions _actions;
    private int _ticks;
    private ServerSnapshot? _last;

    /// <param name="autoRefresh">False in the view specs: they apply fixed snapshots themselves.</param>
    public ServerMonitorWindow(IServerApi api, Glyphs glyphs, TimeProvider? clock = null, bool autoRefresh = true)
        : base(autoRefresh)
    {
        _api = api;
        _glyphs = glyphs;
        _clock = clock ?? TimeProvider.System;
        Title = "cast2md monitor";
        _actions = new MonitorActions(api, glyphs, ShowMessage, RefreshNow);
        _connection = new Label
        {
            X = 0,
            Y = 0,
            Width = Dim.Fill(),
            Height = 1,
            Text = StatusViewModel.Connection(api.ServerUrl, null, glyphs),
        };
        _pages =
        [
            new StatusTab(_actions),
            new QueueTab(_actions),
            new NodesTab(_actions),
            new FeedsTab(_actions),
            new SettingsTab(_actions),
            new SearchTab(_actions),
        ];
        _tabs = new Tabs
        {
            X = 0,
            Y = 1,
            Width = Dim.Fill(),
            Height = Dim.Fill(2),
        };
        foreach (var page in _pages)
            _tabs.Add(page);
        _message = new Label
        {
            X = 0,
            Y = Pos.AnchorEnd(2),
            Width = Dim.Fill(),
            Height = 1,
            Text = "",
        };
        // 6 (Search) works as the other digits do, but has no shortcut here: a sixth would not fit in 80 columns.
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

    /// <summary>The page in front (0 Status … 4 Settings, 5 Search).</summary>
    public int SelectedTab => _tabs.Value is { } v ? Array.IndexOf(_pages, v) : 0;

    protected override int PageCount => _pages.Length;

    public override void Select(int index)
    {
        if (index >= 0 && index < _pages.Length)
        {
            _tabs.Value = _pages[index];
            _pages[index].SetFocus();
            if (_pages[index] is SearchTab search)
                search.FocusQuery();
            // Feeds and settings are fetched in full while their tab is in front.
            if (_last is not null && index is 3 or 4)
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

    /// <summary>A page of search hits on the Search tab (view specs).</summary>
    public void ShowSearchHits(Cast2md.Search.SearchPage page) => ((SearchTab)_pages[5]).ShowHits(page);

    public void ShowMessage(string message)
    {
        var line = Format.Fit(message, 200);
        if (_message.Text != line)
            _message.Text = line;
    }

    protected override void OnStarted(IApplication app) => _actions.App = app;

    /// <summary>Letters are the tab's actions.</summary>
    protected override bool HandleActionKey(Key key)
    {
        var index = SelectedTab;
        return index >= 0 && _pages[index].HandleKey(key);
    }

    protected override void OnTick() => _ticks++;

    protected override async Task<Action> FetchAsync()
    {
        var full = _last?.Settings is null || SelectedTab is 3 or 4 || _ticks % 5 == 0;
        var snapshot = await _api.FetchAsync(full).ConfigureAwait(false);
        return () => Apply(snapshot);
    }
}
