using Cast2md.Library;
using Cast2md.Queue;
using Cast2md.Server;
using Cast2md.Storage;

namespace Cast2md.Cli.Server;

/// <summary>The server's shared parts, created once per process.</summary>
internal sealed class ServerServices(ServerOptions options, Database database, AdminToken adminToken)
{
    public ServerOptions Options { get; } = options;
    public Database Database { get; } = database;
    public AdminToken AdminToken { get; } = adminToken;
    public FeedStore Feeds { get; } = new(database);
    public EpisodeStore Episodes { get; } = new(database);
    public JobStore Jobs { get; } = new(database);
    public Processing.QueueSignal Signal { get; } = new();
    public string Version { get; } = typeof(ServerServices).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
