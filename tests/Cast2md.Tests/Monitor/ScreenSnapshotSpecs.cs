using Cast2md.Tests.Infra;
using Cast2md.Tui.ViewModels;
using Cast2md.Tui.Views;
using Terminal.Gui.App;
using Terminal.Gui.Drivers;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;
using Xunit;

namespace Cast2md.Tests.Monitor;

/// <summary>
/// The screens at 80×24, drawn by Terminal.Gui's ANSI driver into its buffer (no terminal) and compared with the text
/// files in Expected/Monitor (<see cref="Snapshot"/>).
/// </summary>
[Collection(nameof(TerminalGuiCollection))]
public class ScreenSnapshotSpecs
{
    [Theory]
    [InlineData(0, "server-status")]
    [InlineData(1, "server-queue")]
    [InlineData(2, "server-nodes")]
    [InlineData(3, "server-feeds")]
    [InlineData(4, "server-settings")]
    public void I_can_see_each_server_tab_at_80x24(int tab, string name)
    {
        var screen = Render(window =>
        {
            window.Apply(MonitorData.Snapshot);
            window.ShowEpisodes(1, "Demo Cast", MonitorData.Episodes);
            window.Select(tab);
        });
        Snapshot.Match($"Monitor/{name}.txt", screen);
    }

    [Fact]
    public void I_can_see_the_server_is_unreachable_while_the_last_data_stays()
    {
        var screen = Render(window =>
        {
            window.Apply(MonitorData.Snapshot);
            window.Apply(MonitorData.Unreachable);
            window.Select(1);
        });
        Assert.Contains("unreachable - retrying (Connection refused)", screen);
        Snapshot.Match("Monitor/server-unreachable.txt", screen);
    }

    [Fact]
    public void I_can_see_search_hits_with_feed_episode_time_and_snippet()
    {
        var screen = Render(window =>
        {
            window.Apply(MonitorData.Snapshot);
            window.Select(5);
            window.ShowSearchHits(MonitorData.Hits);
        });
        Assert.Contains("00:04:10", screen);
        Snapshot.Match("Monitor/server-search.txt", screen);
    }

    [Fact]
    public void I_can_read_a_transcript_opened_at_the_segment_of_a_hit()
    {
        var screen = RenderRunnable(
            () => new TranscriptDialog("Episode 5: Origins", MonitorData.Transcript, 250_000, 70),
            _ => { },
            dialog => Assert.Equal(25, dialog.SelectedLine)
        );
        Assert.Contains("[00:04:10] And the old lighthouse keeper told us everything.", screen);
        Assert.DoesNotContain("Line number 0 of", screen);
        Snapshot.Match("Monitor/transcript-at-hit.txt", screen);
    }

    [Fact]
    public void I_can_see_the_node_status_with_a_progress_bar()
    {
        var screen = RenderWindow(
            () => new NodeMonitorWindow(new FakeNodeApi(), Glyphs.Ascii, new FixedClock(), autoRefresh: false),
            window => window.Apply(MonitorData.Node)
        );
        Snapshot.Match("Monitor/node-status.txt", screen);
    }

    [Fact]
    public void I_can_see_the_node_queue()
    {
        var screen = RenderWindow(
            () => new NodeMonitorWindow(new FakeNodeApi(), Glyphs.Ascii, new FixedClock(), autoRefresh: false),
            window =>
            {
                window.Apply(MonitorData.Node);
                window.Select(1);
            }
        );
        Snapshot.Match("Monitor/node-queue.txt", screen);
    }

    private static string Render(Action<ServerMonitorWindow> arrange) =>
        RenderWindow(() => new ServerMonitorWindow(new FakeServerApi(), Glyphs.Ascii, new FixedClock(), autoRefresh: false), arrange);

    internal static string RenderWindow<TWindow>(Func<TWindow> create, Action<TWindow> arrange)
        where TWindow : Window => RenderRunnable(create, arrange);

    /// <param name="assert">Runs after the screen is laid out and drawn (what layout decides, such as a scroll position).</param>
    internal static string RenderRunnable<TView>(Func<TView> create, Action<TView> arrange, Action<TView>? assert = null)
        where TView : View, IRunnable
    {
        using IApplication app = Application.Create().Init(DriverRegistry.Names.ANSI);
        app.Driver!.SetScreenSize(80, 24);
        using var window = create();
        var session = app.Begin(window);
        try
        {
            arrange(window);
            app.LayoutAndDraw(true);
            assert?.Invoke(window);
            return Normalize(app.Driver.ToString() ?? "");
        }
        finally
        {
            if (session is not null)
                app.End(session);
        }
    }

    private static string Normalize(string screen) =>
        string.Join('\n', screen.ReplaceLineEndings("\n").Split('\n').Select(l => l.TrimEnd())).TrimEnd('\n') + "\n";
}

/// <summary>Terminal.Gui keeps some process-wide state (drivers, configuration): its specs run one at a time.</summary>
[CollectionDefinition(nameof(TerminalGuiCollection), DisableParallelization = true)]
public sealed class TerminalGuiCollection;

internal sealed class FakeNodeApi : Cast2md.Tui.Client.INodeApi
{
    public Task<Cast2md.Tui.Client.NodeSnapshot> FetchAsync(CancellationToken cancellationToken = default) => Task.FromResult(MonitorData.Node);
}
