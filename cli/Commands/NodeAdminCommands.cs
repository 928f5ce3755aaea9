using Cast2md.Api;
using Cast2md.Cli.Infrastructure;
using Cast2md.Cli.Output;
using Cast2md.Json;
using Cast2md.NodeRegistry;
using Cast2md.Services;
using Cast2md.Settings;
using ConsoleAppFramework;

namespace Cast2md.Cli.Commands;

/// <summary>
/// cast2md nodes list|add|test|remove: the server's transcriber nodes, managed on the server's data folder (safe while
/// `serve` runs). `cast2md node …` is the other side: this machine as a node.
/// </summary>
[RegisterCommands("nodes")]
internal sealed class NodeAdminCommands
{
    /// <summary>The registered nodes with their status, current job and last heartbeat.</summary>
    /// <param name="json">Print the result as one JSON document on stdout.</param>
    [Command("list")]
    public int List(bool json = false)
    {
        var core = GlobalOptions.OpenCore();
        var nodes = NodeOverview.List(core);
        if (json)
        {
            JsonOutput.Write(new NodeListResponse(nodes, nodes.Count), Cast2mdJsonContext.Default.NodeListResponse);
            return ExitCodes.Ok;
        }
        if (nodes.Count == 0)
        {
            Console.WriteLine(
                core.Settings.GetBool(SettingDefinitions.DistributedTranscriptionEnabled)
                    ? "No nodes registered. On a node: cast2md node register --server URL --name NAME"
                    : "No nodes registered. Distributed transcription is off: set DISTRIBUTED_TRANSCRIPTION_ENABLED=true first."
            );
            return ExitCodes.Ok;
        }
        var table = new Table("ID", "NAME", "STATUS", "JOB", "PROGRESS", "LAST HEARTBEAT", "PRIORITY", "MODEL", "URL").AlignRight(
            "JOB",
            "PROGRESS",
            "PRIORITY"
        );
        foreach (var n in nodes)
            table.Add(
                n.Id[..8],
                TerminalText.Short(n.Name, 30),
                n.Status,
                n.CurrentJobId?.ToString() ?? "-",
                n.CurrentJobProgress is { } p ? $"{p:0}%" : "-",
                TerminalText.Time(n.LastHeartbeat is { } h ? new DateTimeOffset(h, TimeSpan.Zero) : null),
                n.Priority.ToString(),
                n.WhisperModel ?? "-",
                n.Url ?? "-"
            );
        table.Write();
        return ExitCodes.Ok;
    }

    /// <summary>Add a node by hand ("Add Node Manually"): prints its id and API key, shown this once.</summary>
    /// <param name="name">Node name.</param>
    /// <param name="url">Where the node's status endpoint answers, e.g. http://192.168.1.50:8001.</param>
    /// <param name="whisperModel">The model it runs.</param>
    /// <param name="priority">Lower is served first.</param>
    /// <param name="json">Print the result as one JSON document on stdout.</param>
    [Command("add")]
    public int Add(string name, string url, string? whisperModel = null, int priority = 10, bool json = false)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new UsageException("--name must not be empty.");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new UsageException($"--url must be an http(s) address, not '{url}'.");
        if (priority is < 0 or > 1000)
            throw new UsageException("--priority must be between 0 and 1000.");
        var core = GlobalOptions.OpenCore();
        var (node, apiKey) = core.Nodes.Register(
            new NodeRegistration(name.Trim(), url.TrimEnd('/'), whisperModel, null, [], priority),
            TimeSpan.FromSeconds(core.Settings.GetInt(SettingDefinitions.NodeHeartbeatTimeoutSeconds)),
            reuseOfflineNamesake: false
        );
        if (json)
        {
            JsonOutput.Write(
                new NodeRegisterResponse(node.Id, apiKey, "Save the API key now: it is not shown again."),
                Cast2mdJsonContext.Default.NodeRegisterResponse
            );
            return ExitCodes.Ok;
        }
        Console.WriteLine($"node_id: {node.Id}");
        Console.WriteLine($"api_key: {apiKey}");
        Log.Info("Save the API key now: it is not shown again. Put both in ~/.cast2md/node.json on the node with \"server_url\" and \"name\".");
        return ExitCodes.Ok;
    }

    /// <summary>Probe a node's status endpoint (GET {url}/status within 5 s); exit 1 when it does not answer.</summary>
    /// <param name="id">Node id (or its first characters, as `nodes list` shows them).</param>
    [Command("test")]
    public async Task<int> TestAsync([Argument] string id, CancellationToken cancellationToken = default)
    {
        var core = GlobalOptions.OpenCore();
        var node = Find(core, id);
        var (message, reachable, _) = await NodeProbe.ProbeAsync(core.Http, node, cancellationToken);
        Console.WriteLine(message);
        return reachable ? ExitCodes.Ok : ExitCodes.Error;
    }

    /// <summary>Remove a node; the jobs it held go back to the queue at once.</summary>
    /// <param name="id">Node id (or its first characters, as `nodes list` shows them).</param>
    [Command("remove")]
    public int Remove([Argument] string id)
    {
        var core = GlobalOptions.OpenCore();
        var node = Find(core, id);
        var released = core.Outcomes.ReleaseAllHeldBy(node.WorkerId, "cli", $"node '{node.Name}' was removed");
        core.Nodes.Delete(node.Id);
        if (released.Count > 0)
            core.Signal.Notify();
        Console.WriteLine(
            released.Count == 0
                ? $"Removed node '{node.Name}'."
                : $"Removed node '{node.Name}'; {released.Count} job(s) it held went back to the queue."
        );
        return ExitCodes.Ok;
    }

    private static TranscriberNode Find(Cast2mdCore core, string id)
    {
        var matches = core.Nodes.List().Where(n => n.Id.StartsWith(id.Trim(), StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new NotFoundException($"No node with id '{id}'; see cast2md nodes list."),
            _ => throw new UsageException($"'{id}' matches {matches.Count} nodes; give more of the id."),
        };
    }
}
