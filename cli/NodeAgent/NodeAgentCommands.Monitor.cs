using Cast2md.Cli.Infrastructure;
using Cast2md.Errors;
using Cast2md.NodeAgent;
using Cast2md.Settings;
using Cast2md.Tui.Client;
using Cast2md.Tui.Monitor;
using Cast2md.Tui.ViewModels;
using Cast2md.Tui.Views;
using ConsoleAppFramework;

namespace Cast2md.Cli.NodeAgent;

internal sealed partial class NodeAgentCommands
{
    /// <summary>A live terminal view of this node: status and current job, the server's queue, system and Whisper settings. q quits.</summary>
    /// <param name="port">Port of the local node's status endpoint. Default: $NODE_PORT, else 8001.</param>
    /// <param name="token">Admin token to read the server's queue when it is beyond loopback. Default: $CAST2MD_ADMIN_TOKEN.</param>
    [Command("monitor")]
    public int Monitor(int? port = null, string? token = null, CancellationToken cancellationToken = default)
    {
        var env = LocalSettings.Process;
        var statusPort = port ?? (int.TryParse(env.Get(SettingDefinitions.NodePort), out var p) ? p : 8001);
        if (statusPort is < 1 or > 65535)
            throw new UsageException("--port must be between 1 and 65535.");
        if (Console.IsInputRedirected || Console.IsOutputRedirected)
            throw new Cast2mdException("cast2md node monitor needs a terminal (stdin and stdout must not be redirected).");
        var path = NodeConfig.DefaultPath;
        var config = NodeConfig.Load(path);
        var statusUrl = $"http://127.0.0.1:{statusPort}/";
        var monitorConfig = new NodeMonitorConfig(
            path,
            config is not null,
            config?.ServerUrl,
            config?.NodeId,
            config?.Name,
            config?.MaskedApiKey,
            config?.Url ?? statusUrl
        );
        var server = config is null ? null : new MonitorHttp(config.ServerUri, token ?? env.Get(SettingDefinitions.AdminToken));
        using var api = new NodeApi(monitorConfig, new MonitorHttp(new Uri(statusUrl), null, TimeSpan.FromSeconds(3)), server);
        MonitorApp.Run(() => new NodeMonitorWindow(api, Glyphs.Detect()), cancellationToken);
        return ExitCodes.Ok;
    }
}
