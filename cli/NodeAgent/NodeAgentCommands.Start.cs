using Cast2md.Cli.Infrastructure;
using Cast2md.NodeAgent;
using Cast2md.Settings;
using ConsoleAppFramework;

namespace Cast2md.Cli.NodeAgent;

internal sealed partial class NodeAgentCommands
{
    /// <summary>Run the node: heartbeats, claims and transcribes jobs until stopped or auto-terminated (exit codes 10-14, see docs).</summary>
    /// <param name="noBrowser">Accepted for the original's service files; there is no browser UI to open.</param>
    /// <param name="port">-p, Port of the status endpoint (0 picks a free one). Default: $NODE_PORT, else 8001.</param>
    [Command("start")]
    public async Task<int> StartAsync(bool noBrowser = false, int? port = null, CancellationToken cancellationToken = default)
    {
        _ = noBrowser;
        var env = LocalSettings.Process;
        var options = ReadOptions(env);
        if (port is null && env.Get(SettingDefinitions.NodePort) is { } portText)
            port = int.TryParse(portText, out var parsed) ? parsed : throw new UsageException($"NODE_PORT='{portText}' is not a port number.");
        var statusPort = port ?? 8001;
        if (statusPort is < 0 or > 65535)
            throw new UsageException("--port must be between 0 and 65535.");
        var path = NodeConfig.DefaultPath;
        var config = RequireConfig(path);
        var executable = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this executable is unknown");

        using var loggers = NodeLoggerProvider.CreateFactory();
        // WHISPER_THREADS: how many CPU threads each transcription uses (default: up to 4); several nodes sharing one
        // machine each take their share instead of all fighting for every core.
        string[] transcriberArguments =
            env.Get(SettingDefinitions.WhisperThreads) is not { } threadsText ? []
            : int.TryParse(threadsText, out var threads) && threads is > 0 and <= 256
                ? ["--threads", threads.ToString(System.Globalization.CultureInfo.InvariantCulture)]
            : throw new UsageException($"WHISPER_THREADS='{threadsText}' is not a number of threads (1-256).");
        using var worker = new NodeWorker(
            new NodeWorkerSetup(config, path, options, executable) { TranscriberArguments = transcriberArguments },
            loggers.CreateLogger("node")
        );
        var (app, statusUrl, localUrl) = await NodeStatusServer.StartAsync(worker, statusPort, config.Url, cancellationToken);
        await using var statusApp = app;
        worker.StatusUrl = statusUrl;
        Log.Info($"node status on {localUrl}" + (statusUrl != localUrl ? $" and {statusUrl}" : ""));

        var reason = await worker.RunAsync(cancellationToken);
        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
            await app.StopAsync(deadline.Token);
        Log.Info(reason == NodeExitReason.Stopped ? "node stopped" : $"node exits with code {NodeExitCodes.Of(reason)} ({reason})");
        return NodeExitCodes.Of(reason);
    }
}
