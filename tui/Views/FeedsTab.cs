using Cast2md.Tui.Client;
using Cast2md.Tui.ViewModels;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Cast2md.Tui.Views;

/// <summary>Feeds (add, refresh, "Get All Transcripts") and the selected feed's episodes ("Get Transcript", "Download Audio", read).</summary>
internal sealed class FeedsTab : TabPage
{
    private readonly RowTable<FeedRow> _feeds;
    private readonly RowTable<EpisodeRow> _episodes;
    private readonly FrameView _episodeFrame;
    private long? _loadedFeed;
    private int _episodeLoads;
    private int _ticks;

    public FeedsTab(MonitorActions actions)
        : base("Feeds", "a add  f refresh  g get all transcripts | episode: t get transcript  d download audio  v view", actions)
    {
        var feedFrame = new FrameView
        {
            Title = "Feeds",
            X = 0,
            Y = 0,
            Width = Dim.Fill(),
            Height = Dim.Percent(40),
        };
        _feeds = new RowTable<FeedRow>(
            new()
            {
                ["Feed"] = r => r.Title,
                ["Episodes"] = r => r.Episodes,
                ["Done"] = r => r.Transcribed,
                ["Polled"] = r => r.LastPolled,
                ["Problem"] = r => r.Problem,
            },
            r => r.Id
        );
        feedFrame.Add(_feeds);
        _episodeFrame = new FrameView
        {
            Title = "Episodes",
            X = 0,
            Y = Pos.Bottom(feedFrame),
            Width = Dim.Fill(),
            Height = Body,
        };
        _episodes = new RowTable<EpisodeRow>(
            new()
            {
                ["Id"] = r => r.Id,
                ["Episode"] = r => r.Title,
                ["Status"] = r => r.Status,
                ["Published"] = r => r.Published,
                ["Length"] = r => r.Duration,
            },
            r => r.Id
        );
        _episodeFrame.Add(_episodes);
        Add(feedFrame, _episodeFrame);
        _feeds.ValueChanged += (_, _) => LoadEpisodes();
    }

    public override void Apply(ServerSnapshot snapshot, DateTimeOffset now)
    {
        _feeds.SetRows(FeedsViewModel.Feeds(snapshot.Feeds, now));
        // The selected feed's episodes follow its status changes, but not on every tick.
        if (_loadedFeed != _feeds.Selected?.Id || ++_ticks % 3 == 0)
            LoadEpisodes();
    }

    /// <summary>Shows episodes already fetched (the view specs, and <see cref="LoadEpisodes"/>'s answer).</summary>
    public void ShowEpisodes(long feedId, string feedTitle, IReadOnlyList<Cast2md.Api.EpisodeResponse> episodes)
    {
        _loadedFeed = feedId;
        var title = $"Episodes of {Format.Fit(feedTitle, 50)}";
        if (_episodeFrame.Title != title)
            _episodeFrame.Title = title;
        _episodes.SetRows(FeedsViewModel.Episodes(episodes));
    }

    private void LoadEpisodes()
    {
        if (_feeds.Selected is not { } feed || Actions.App is not { } app)
            return;
        var load = ++_episodeLoads;
        _ = Task.Run(async () =>
        {
            try
            {
                var episodes = await Actions.Api.EpisodesAsync(feed.Id);
                app.Invoke(() =>
                {
                    if (load == _episodeLoads)
                        ShowEpisodes(feed.Id, feed.Title, episodes);
                });
            }
            catch (Cast2md.Api.ApiCallException)
            {
                // The connection line already says the server is gone; the next tick tries again.
            }
        });
    }

    public override bool HandleKey(Key key)
    {
        if (Actions.App is not { } app)
            return false;
        if (Is(key, 'a'))
        {
            if (Prompts.Ask(app, "Add feed", ("RSS feed URL:", "")) is [var url] && url.Length > 0)
                Actions.Run("adding feed", ct => Actions.Api.AddFeedAsync(url, ct));
            return true;
        }
        if (Is(key, 'f') || Is(key, 'g'))
        {
            if (_feeds.Selected is not { } feed)
            {
                Actions.Show("no feed selected");
                return true;
            }
            if (Is(key, 'f'))
                Actions.Run($"refreshing {feed.Title}", ct => Actions.Api.RefreshFeedAsync(feed.Id, ct));
            else
                Actions.Run($"getting all transcripts of {feed.Title}", ct => Actions.Api.ProcessFeedAsync(feed.Id, ct));
            return true;
        }
        if (!Is(key, 't') && !Is(key, 'd') && !Is(key, 'v'))
            return false;
        if (_episodes.Selected is not { } episode)
        {
            Actions.Show("no episode selected");
            return true;
        }
        if (Is(key, 't'))
            Actions.Run($"get transcript of #{episode.Id}", ct => Actions.Api.EpisodeActionAsync(episode.Id, "process", ct));
        else if (Is(key, 'd'))
            Actions.Run($"download audio of #{episode.Id}", ct => Actions.Api.EpisodeActionAsync(episode.Id, "download", ct));
        else
            Actions.Run($"reading transcript of #{episode.Id}", async ct =>
            {
                var text = await Actions.Api.TranscriptAsync(episode.Id, ct);
                app.Invoke(() => Prompts.ShowText(app, episode.Title, text));
                return $"transcript of #{episode.Id}";
            });
        return true;
    }
}
