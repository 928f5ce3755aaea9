using Cast2md.Cli.Infrastructure;
using Cast2md.Errors;
using Cast2md.Tui.Client;
using Cast2md.Tui.Monitor;
using Cast2md.Tui.ViewModels;
using Cast2md.Tui.Views;
using ConsoleAppFramework;

namespace Cast2md.Cli.Commands;

[RegisterCommands]
internal sealed class MonitorCommand
{
    /// <summary>A live terminal dashboard of a server: status, queue, nodes, feeds, settings. Works over SSH; q quits.</summary>
    /// <param name="server">-s, Server URL. Default: the server running on the data folder ({data}/server.pid).</param>
    /// <param name="token">Admin token for a server beyond loopback. Default: $CAST2MD_ADMIN_TOKEN, else {data}/admin-token.</param>
    [Command("monitor")]
    public int Run(string? server = null, string? token = null, CancellationToken cancellationToken = default) =>
        Edition.IsFull ? RunMonitor(server, token, cancellationToken) : Edition.Missing("monitor");

    private static int RunMonitor(string? server, string? token, CancellationToken cancellationToken)
    {
        var target = ServerLocator.Resolve(server, token, GlobalOptions.DataDirectory, null, out var problem)
            ?? throw (server is null ? new Cast2mdException(problem!) : new UsageException($"--server: {problem}"));
        if (Console.IsInputRedirected || Console.IsOutputRedirected)
            throw new Cast2mdException("cast2md monitor needs a terminal (stdin and stdout must not be redirected).");
        using var api = new ServerApi(new MonitorHttp(target.BaseUri, target.Token));
        MonitorApp.Run(() => new ServerMonitorWindow(api, Glyphs.Detect()), cancellationToken);
        return ExitCodes.Ok;
    }
}
