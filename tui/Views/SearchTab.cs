using Cast2md.Search;
using Cast2md.Tui.Client;
using Cast2md.Tui.ViewModels;
using Terminal.Gui.App;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Cast2md.Tui.Views;

/// <summary>
/// Full-text search (GET /api/search): a query line, Enter searches; the hits (feed, episode, time, snippet), Enter on
/// one opens its episode's transcript at that segment. While the query line has the focus, letters and digits are
/// typed into it (the window leaves them alone); Esc or / goes back to it from the hits.
/// </summary>
internal sealed class SearchTab : TabPage
{
    private readonly TextField _query;
    private readonly RowTable<SearchRow> _hits;
    private readonly FrameView _hitFrame;
    private int _searches;

    public SearchTab(MonitorActions actions)
        : base("Search", "Enter search (word \"a phrase\" -not pre*) | hit: Enter read there  Esc query", actions)
    {
        var label = new Label
        {
            X = 0,
            Y = 0,
            Text = "Search:",
        };
        _query = new TextField
        {
            X = Pos.Right(label) + 1,
            Y = 0,
            Width = Dim.Fill(),
        };
        _hitFrame = new FrameView
        {
            Title = "Hits",
            X = 0,
            Y = 1,
            Width = Dim.Fill(),
            Height = Body,
        };
        _hits = new RowTable<SearchRow>(
            new()
            {
                ["Feed"] = r => r.Feed,
                ["Episode"] = r => r.Episode,
                ["At"] = r => r.At,
                ["Snippet"] = r => r.Snippet,
            },
            r => r.Index
        );
        _hitFrame.Add(_hits);
        Add(label, _query, _hitFrame);
    }

    /// <summary>True while the query line has the focus: keys are text then, not commands.</summary>
    public bool IsTyping => _query.HasFocus;

    /// <summary>The query line takes the focus (when the tab is selected, and on Esc or /).</summary>
    public void FocusQuery() => _query.SetFocus();

    /// <summary>Hits have no part in the server's snapshot: they stay until the next search.</summary>
    public override void Apply(ServerSnapshot snapshot, DateTimeOffset now) { }

    /// <summary>Shows a page of hits (the view specs, and a search's answer); the hits take the focus when there are any.</summary>
    public void ShowHits(SearchPage page)
    {
        _hits.SetRows(SearchViewModel.Rows(page));
        var title = $"Hits for {Format.Fit(page.Query, 50)}";
        if (_hitFrame.Title != title)
            _hitFrame.Title = title;
        if (page.Results.Count > 0)
            _hits.SetFocus();
    }

    public override bool HandleKey(Key key)
    {
        if (key == Key.Enter)
        {
            if (IsTyping)
                Search();
            else
                Open();
            return true;
        }
        if (!IsTyping && (key == Key.Esc || key.KeyCode == (Terminal.Gui.Drivers.KeyCode)'/'))
        {
            FocusQuery();
            return true;
        }
        return false;
    }

    private void Search()
    {
        var text = _query.Text.Trim();
        if (text.Length == 0)
        {
            Actions.Show("type what to search for, then Enter");
            return;
        }
        if (Actions.App is not { } app)
            return;
        var search = ++_searches;
        Actions.Run($"searching for {Format.Fit(text, 60)}", async ct =>
        {
            var page = await Actions.Api.SearchAsync(text, ct);
            app.Invoke(() =>
            {
                // A slower earlier search must not replace the hits of a later one.
                if (search == _searches)
                    ShowHits(page);
            });
            return SearchViewModel.Summary(page);
        });
    }

    private void Open()
    {
        if (_hits.Selected is not { } hit)
        {
            Actions.Show("no hit selected: type a query and press Enter");
            return;
        }
        if (Actions.App is not { } app)
            return;
        Actions.Run($"reading transcript of #{hit.EpisodeId}", async ct =>
        {
            var transcript = await Actions.Api.TranscriptSegmentsAsync(hit.EpisodeId, ct);
            app.Invoke(() => Show(app, hit, transcript));
            return $"transcript of #{hit.EpisodeId} at {hit.At}";
        });
    }

    private static void Show(IApplication app, SearchRow hit, Cast2md.Transcripts.TranscriptJsonDocument transcript)
    {
        using var dialog = new TranscriptDialog(hit.EpisodeTitle, transcript, hit.StartMs, app.Screen.Width * 95 / 100 - 4);
        app.Run(dialog);
    }
}
