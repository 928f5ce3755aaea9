using Cast2md.DataFolder;
using Cast2md.Library;
using Cast2md.NodeRegistry;
using Cast2md.Queue;
using Cast2md.Services;
using Cast2md.Settings;
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
    public NodeStore Nodes => Core.Nodes;

    /// <summary>Hands transcription jobs to nodes (long-poll, node priority); disposed with the app.</summary>
    public required NodeDispatcher Dispatcher { get; init; }

    /// <summary>Read live, so a change through <c>PUT /api/settings</c> takes effect without a restart.</summary>
    public bool DistributedEnabled => Core.Settings.GetBool(SettingDefinitions.DistributedTranscriptionEnabled);

    /// <summary>A node's lease: this long from its last sign of life.</summary>
    public TimeSpan RemoteJobTimeout => TimeSpan.FromMinutes(Core.Settings.GetDouble(SettingDefinitions.RemoteJobTimeoutMinutes));

    public TimeSpan NodeHeartbeatTimeout => TimeSpan.FromSeconds(Core.Settings.GetInt(SettingDefinitions.NodeHeartbeatTimeoutSeconds));

    /// <summary>Whether this process runs the local workers (set by whoever starts them); <c>GET /api/queue/status</c> reports it as <c>running</c>.</summary>
    public bool WorkersRunning { get; set; }

    public string Version { get; } = Cast2md.Net.Cast2mdHttp.Version;
}
