using Cast2md.Tui.Client;
using Cast2md.Tui.ViewModels;
using Terminal.Gui.Input;

namespace Cast2md.Tui.Views;

/// <summary>The node list; add a node by hand (its API key is shown once), test it, delete it.</summary>
internal sealed class NodesTab : TabPage
{
    private readonly RowTable<NodeRow> _nodes;

    public NodesTab(MonitorActions actions)
        : base("Nodes", "a add node  t test  d delete  (on the selected node)", actions)
    {
        _nodes = new RowTable<NodeRow>(
            new()
            {
                ["Name"] = r => r.Name,
                ["Status"] = r => r.Status,
                ["Heartbeat"] = r => r.LastHeartbeat,
                ["Model"] = r => r.Model,
                ["URL"] = r => r.Url,
                ["Id"] = r => r.Id,
            },
            r => r.Id
        )
        {
            Height = Body,
        };
        Add(_nodes);
    }

    public override void Apply(ServerSnapshot snapshot, DateTimeOffset now) => _nodes.SetRows(StatusViewModel.Nodes(snapshot, now, Glyphs));

    public override bool HandleKey(Key key)
    {
        if (Actions.App is not { } app)
            return false;
        if (Is(key, 'a'))
        {
            if (Prompts.Ask(app, "Add node", ("Name:", ""), ("Status URL (http://host:8001):", "")) is [var name, var url])
            {
                Actions.Run($"adding node {name}", async ct =>
                {
                    var added = await Actions.Api.AddNodeAsync(name, url, ct);
                    app.Invoke(() =>
                        Prompts.Tell(
                            app,
                            "Node added",
                            $"Node id: {added.NodeId}\nAPI key: {added.ApiKey}\n\nSave the API key now: it is not shown again.\nPut it in ~/.cast2md/node.json on the node."
                        )
                    );
                    return $"added node {name} ({added.NodeId})";
                });
            }
            return true;
        }
        if (!Is(key, 't') && !Is(key, 'd'))
            return false;
        if (_nodes.Selected is not { } node)
        {
            Actions.Show("no node selected");
            return true;
        }
        if (Is(key, 't'))
            Actions.Run($"testing {node.Name}", ct => Actions.Api.TestNodeAsync(node.Id, ct));
        else if (Prompts.Confirm(app, "Delete node", $"Delete node '{node.Name}'? Its jobs go back to the queue."))
            Actions.Run($"deleting {node.Name}", ct => Actions.Api.DeleteNodeAsync(node.Id, ct));
        return true;
    }
}
