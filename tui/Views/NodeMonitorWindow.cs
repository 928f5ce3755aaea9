using Cast2md.Tui.Client;
using Cast2md.Tui.ViewModels;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Cast2md.Tui.Views;

/// <summary>`cast2md node monitor`: the node's own pages (Status with a progress bar, Queue, Settings) and its server's address.</summary>
public sealed class NodeMonitorWindow : MonitorWindow
{
    private readonly INodeApi _api;
    private readonly Glyphs _glyphs;
    private readonly TimeProvider _clock;
    private readonly Label _connection;
    private readonly Label _status;
    private readonly ProgressBar _progress;
    private readonly Label _progressText;
    private readonly Label _queueSummary;
    private readonly RowTable<JobRow> _queue;
    private readonly Label _settings;
    private readonly Tabs _tabs;
    private readonly View[] _pages;

    public NodeMonitorWindow(INodeApi api, Glyphs glyphs, TimeProvider? clock = null, bool autoRefresh = true)
        : base(autoRefresh)
    {
        _api = api;
        _glyphs = glyphs;
        _clock = clock ?? TimeProvider.System;
        Title = "cast2md node monitor";
        _connection = new Label
        {
            X = 0,
            Y = 0,
            Width = Dim.Fill(),
            Height = 1,
            Text = NodeViewModel.Connection(null, glyphs),
        };

        var status = Page("Status");
        _status = new Label
        {
            X = 0,
            Y = 0,
            Width = Dim.Fill(),
            Height = 15,
        };
        _progressText = new Label
        {
            X = 0,
            Y = Pos.Bottom(_status),
            Width = 10,
            Height = 1,
            Text = "",
        };
        _progress = new ProgressBar
        {
            X = Pos.Right(_progressText),
            Y = Pos.Bottom(_status),
            Width = Dim.Fill(),
            Height = 1,
            Visible = false,
        };
        if (glyphs == Glyphs.Ascii)
            _progress.SegmentCharacter = new System.Text.Rune('#');
        status.Add(_status, _progressText, _progress);

        var queue = Page("Queue");
        _queueSummary = new Label
        {
            X = 0,
            Y = 0,
            Width = Dim.Fill(),
            Height = 2,
        };
        _queue = new RowTable<JobRow>(
            new()
            {
                ["Job"] = r => r.JobId,
                ["State"] = r => r.State,
                ["Episode"] = r => r.Episode,
                ["Progress"] = r => r.Progress,
                ["Worker"] = r => r.Where,
            },
            r => r.JobId
        )
        {
            Y = 2,
            Height = Dim.Fill(),
        };
        queue.Add(_queueSummary, _queue);

        var settings = Page("Settings");
        _settings = new Label
        {
            X = 0,
            Y = 0,
            Width = Dim.Fill(),
            Height = Dim.Fill(),
        };
        settings.Add(_settings);

        _pages = [status, queue, settings];
        _tabs = new Tabs
        {
            X = 0,
            Y = 1,
            Width = Dim.Fill(),
            Height = Dim.Fill(1),
        };
        foreach (var page in _pages)
            _tabs.Add(page);
        var bar = new StatusBar([
            new Shortcut(Key.Q, "Quit", () => App?.RequestStop(), ""),
            new Shortcut(Key.D1, "Status", () => Select(0), ""),
            new Shortcut(Key.D2, "Queue", () => Select(1), ""),
            new Shortcut(Key.D3, "Settings", () => Select(2), ""),
        ]);
        Add(_connection, _tabs, bar);
    }

    private static View Page(string title) =>
        new()
        {
            Title = title,
            CanFocus = true,
            Width = Dim.Fill(),
            Height = Dim.Fill(),
        };

    protected override int PageCount => _pages.Length;

    public override void Select(int index)
    {
        if (index >= 0 && index < _pages.Length)
        {
            _tabs.Value = _pages[index];
            _pages[index].SetFocus();
        }
    }

    public void Apply(NodeSnapshot snapshot)
    {
        var now = _clock.GetUtcNow();
        Set(_connection, NodeViewModel.Connection(snapshot, _glyphs, _clock.LocalTimeZone));
        Set(_status, string.Join('\n', NodeViewModel.Status(snapshot, now)));
        var fraction = NodeViewModel.CurrentProgress(snapshot);
        _progress.Visible = fraction is not null;
        if (fraction is { } f && Math.Abs(_progress.Fraction - f) > 0.0001f)
            _progress.Fraction = f;
        Set(_progressText, fraction is { } p ? $"{Format.Number(p * 100, "0")}%".PadLeft(4) + "  " : "");
        Set(_queueSummary, string.Join('\n', NodeViewModel.QueueSummary(snapshot)));
        _queue.SetRows(NodeViewModel.QueueRows(snapshot, _glyphs));
        Set(_settings, string.Join('\n', NodeViewModel.Settings(snapshot)));
    }

    private static void Set(View view, string text)
    {
        if (view.Text != text)
            view.Text = text;
    }

    protected override async Task<Action> FetchAsync()
    {
        var snapshot = await _api.FetchAsync().ConfigureAwait(false);
        return () => Apply(snapshot);
    }
}
