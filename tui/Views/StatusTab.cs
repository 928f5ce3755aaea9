using Cast2md.Tui.Client;
using Cast2md.Tui.ViewModels;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Cast2md.Tui.Views;

/// <summary>Server health, workers, queue counts, throughput and the "Remote Transcriber Nodes" list.</summary>
internal sealed class StatusTab : TabPage
{
    private readonly Label _summary;
    private readonly RowTable<NodeRow> _nodes;

    public StatusTab(MonitorActions actions)
        : base("Status", "F5 refresh  Tab/arrows switch tabs  q quit", actions)
    {
        _summary = new Label
        {
            X = 0,
            Y = 0,
            Width = Dim.Fill(),
            Height = 8,
        };
        var frame = new FrameView
        {
            Title = "Remote Transcriber Nodes",
            X = 0,
            Y = Pos.Bottom(_summary),
            Width = Dim.Fill(),
            Height = Body,
        };
        _nodes = new RowTable<NodeRow>(
            new()
            {
                ["Name"] = r => r.Name,
                ["Status"] = r => r.Status,
                ["Current job"] = r => r.CurrentJob,
                ["Progress"] = r => r.Progress,
                ["ETA"] = r => r.Eta,
                ["Speed"] = r => r.Speed,
                ["Heartbeat"] = r => r.LastHeartbeat,
            },
            r => r.Id
        );
        frame.Add(_nodes);
        Add(_summary, frame);
    }

    public override void Apply(ServerSnapshot snapshot, DateTimeOffset now)
    {
        SetText(_summary, string.Join('\n', StatusViewModel.Summary(snapshot)));
        _nodes.SetRows(StatusViewModel.Nodes(snapshot, now, Glyphs));
    }

    public override bool HandleKey(Key key) => false;
}
