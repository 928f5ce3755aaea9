using Cast2md.Api;
using Cast2md.NodeRegistry;
using Cast2md.Settings;

namespace Cast2md.Services;

/// <summary>A node as status pages show it: derived status, held jobs, the current job's progress (shared by the API and the CLI).</summary>
public static class NodeOverview
{
    /// <param name="speeds">The speeds nodes reported to this server (its dispatcher's); null where they are not known.</param>
    public static NodeResponse Describe(Cast2mdCore core, TranscriberNode node, DateTimeOffset now, NodeSpeeds? speeds = null)
    {
        var heartbeatTimeout = TimeSpan.FromSeconds(core.Settings.GetInt(SettingDefinitions.NodeHeartbeatTimeoutSeconds));
        var held = core.Jobs.HeldBy(node.WorkerId);
        var current = held.FirstOrDefault(j => j.Id == node.CurrentJobId) ?? held.FirstOrDefault();
        var speed = speeds?.Of(node.WorkerId, node.WhisperModel);
        double? eta = null;
        if (speed is { } rate && current is not null && core.Episodes.Get(current.EpisodeId)?.DurationSeconds is { } seconds)
            eta = Math.Round(seconds * (1 - Math.Clamp(current.ProgressPercent ?? 0, 0, 100) / 100) / rate, 1);
        return new NodeResponse(
            node.Id,
            node.Name,
            node.Url,
            node.WhisperModel,
            node.WhisperBackend,
            node.StatusAt(now, heartbeatTimeout, held.Count > 0).ToName(),
            ApiTime.Utc(node.LastHeartbeat),
            current?.Id,
            node.Priority,
            node.Models,
            [.. held.Select(j => j.Id)],
            current?.ProgressPercent,
            ApiTime.Utc(node.CreatedAt),
            node.Problem,
            speed,
            eta
        );
    }

    public static IReadOnlyList<NodeResponse> List(Cast2mdCore core) => [.. core.Nodes.List().Select(n => Describe(core, n, DateTimeOffset.UtcNow))];
}
