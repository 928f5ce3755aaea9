using Cast2md.Api;
using Cast2md.Services;
using Cast2md.Settings;

namespace Cast2md.Nodes;

/// <summary>A node as status pages show it: derived status, held jobs, the current job's progress (shared by the API and the CLI).</summary>
public static class NodeOverview
{
    public static NodeResponse Describe(Cast2mdCore core, TranscriberNode node, DateTimeOffset now)
    {
        var heartbeatTimeout = TimeSpan.FromSeconds(core.Settings.GetInt(SettingDefinitions.NodeHeartbeatTimeoutSeconds));
        var held = core.Jobs.HeldBy(node.WorkerId);
        var current = held.FirstOrDefault(j => j.Id == node.CurrentJobId) ?? held.FirstOrDefault();
        return new NodeResponse(node.Id, node.Name, node.Url, node.WhisperModel, node.WhisperBackend,
            node.StatusAt(now, heartbeatTimeout, held.Count > 0).ToName(),
            ApiTime.Utc(node.LastHeartbeat), current?.Id, node.Priority, node.Models, [.. held.Select(j => j.Id)],
            current?.ProgressPercent, ApiTime.Utc(node.CreatedAt), node.Problem);
    }

    public static IReadOnlyList<NodeResponse> List(Cast2mdCore core) =>
        [.. core.Nodes.List().Select(n => Describe(core, n, DateTimeOffset.UtcNow))];
}
