using Cast2md.Library;
using Cast2md.Processing;
using Cast2md.Queue;
using Cast2md.Server;
using Cast2md.Services;
using Cast2md.Storage;

// The API specs host the server in-process: ServerApp.Build, ServerOptions and ServerServices are internal.
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Cast2md.Tests")]

namespace Cast2md.Cli.Server;

/// <summary>The server's shared parts, created once per process: the data folder's <see cref="Cast2mdCore"/> and the server's own settings.</summary>
internal sealed class ServerServices(ServerOptions options, Cast2mdCore core, AdminToken adminToken)
{
    public ServerOptions Options { get; } = options;
    public Cast2mdCore Core { get; } = core;
    public AdminToken AdminToken { get; } = adminToken;
    public Database Database => Core.Database;
    public FeedStore Feeds => Core.Feeds;
    public EpisodeStore Episodes => Core.Episodes;
    public JobStore Jobs => Core.Jobs;
    public QueueSignal Signal => Core.Signal;

    /// <summary>Whether this process runs the local workers (set by whoever starts them); <c>GET /api/queue/status</c> reports it as <c>running</c>.</summary>
    public bool WorkersRunning { get; set; }

    public string Version { get; } = typeof(ServerServices).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
