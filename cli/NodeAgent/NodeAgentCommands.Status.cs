using System.Text.Json;
using Cast2md.Api;
using Cast2md.Cli.Infrastructure;
using Cast2md.Cli.Output;
using Cast2md.Json;
using Cast2md.NodeAgent;
using Cast2md.Settings;
using ConsoleAppFramework;

namespace Cast2md.Cli.NodeAgent;

internal sealed partial class NodeAgentCommands
{
    /// <summary>Show this node's registration, whether the server accepts its key, and what the local node process is doing.</summary>
    /// <param name="json">Print the result as JSON.</param>
    /// <param name="port">Port of the local node's status endpoint. Default: $NODE_PORT, else 8001.</param>
    [Command("status")]
    public async Task<int> StatusAsync(bool json = false, int? port = null, CancellationToken cancellationToken = default)
    {
        var env = LocalSettings.Process;
        var statusPort = port ?? (int.TryParse(env.Get(SettingDefinitions.NodePort), out var p) ? p : 8001);
        var path = NodeConfig.DefaultPath;
        var config = NodeConfig.Load(path);
        if (config is null)
        {
            if (json)
                JsonOutput.Write(
                    new CliNodeStatus(false, path, null, null, null, null, false, false, "not registered", false, null),
                    Cast2mdJsonContext.Default.CliNodeStatus
                );
            else
                Console.WriteLine($"Not registered ({path} does not exist): run cast2md node register --server URL --name NAME");
            return ExitCodes.Error;
        }

        using var http = NodeClient.CreateHttpClient();
        var client = new NodeClient(http, config);
        bool reachable = false,
            accepted = false;
        string? problem = null;
        try
        {
            var (status, _) = await ApiExchange.SendAsync(
                http,
                new HttpRequestMessage(HttpMethod.Get, client.Url("api/health")),
                TimeSpan.FromSeconds(10),
                cancellationToken
            );
            reachable = status < 500;
            if (!reachable)
                problem = $"the server's health check answered {status}";
        }
        catch (ApiCallException ex)
        {
            problem = ex.Message;
        }
        if (reachable)
        {
            try
            {
                // A heartbeat with no job fields: proves the key without touching any lease.
                await client.HeartbeatAsync(new NodeHeartbeatRequest(Name: config.Name), cancellationToken);
                accepted = true;
            }
            catch (ApiCallException ex)
            {
                problem = ex.StatusCode is 401 or 404
                    ? $"the server does not accept this node's key ({ex.Message}): re-register with cast2md node register"
                    : ex.Message;
            }
        }

        NodeStatusResponse? local = null;
        try
        {
            var (status, body) = await ApiExchange.SendAsync(
                http,
                new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{statusPort}/status"),
                TimeSpan.FromSeconds(3),
                cancellationToken
            );
            if (status == 200)
                local = JsonSerializer.Deserialize(body, Cast2mdJsonContext.Default.NodeStatusResponse);
        }
        catch (Exception ex) when (ex is ApiCallException or JsonException) { }

        var result = new CliNodeStatus(
            true,
            path,
            config.ServerUrl,
            config.NodeId,
            config.Name,
            config.MaskedApiKey,
            reachable,
            accepted,
            problem,
            local is not null,
            local
        );
        if (json)
        {
            JsonOutput.Write(result, Cast2mdJsonContext.Default.CliNodeStatus);
        }
        else
        {
            Console.WriteLine($"Node:        {config.Name} ({config.NodeId})");
            Console.WriteLine($"Config:      {path}");
            Console.WriteLine($"API key:     {config.MaskedApiKey}");
            Console.WriteLine(
                $"Server:      {config.ServerUrl} — {(accepted ? "reachable, key accepted" : reachable ? "reachable, key NOT accepted" : "unreachable")}"
            );
            if (problem is not null)
                Console.WriteLine($"Problem:     {problem}");
            if (local is null)
            {
                Console.WriteLine($"Worker:      not running (nothing answers on 127.0.0.1:{statusPort}; start it with cast2md node start)");
            }
            else
            {
                Console.WriteLine(
                    $"Worker:      {local.State}, up {TimeSpan.FromSeconds(local.UptimeSeconds):d\\.hh\\:mm\\:ss}, {local.JobsCompleted} completed, {local.JobsFailed} failed, {local.SpooledResults} spooled"
                );
                Console.WriteLine(
                    $"Whisper:     {local.Whisper.Model} on {local.Whisper.Device} ({local.Whisper.ComputeType}, {local.Whisper.Engine})"
                );
                if (local.CurrentJob is { } job)
                    Console.WriteLine($"Current job: {job.JobId} {job.EpisodeTitle} — {job.Phase} {job.ProgressPercent:0.#}%");
                if (local.PrefetchedJob is { } next)
                    Console.WriteLine($"Next job:    {next.JobId} {next.EpisodeTitle} — {next.Phase}");
            }
        }
        return reachable && accepted ? ExitCodes.Ok : ExitCodes.Error;
    }
}
