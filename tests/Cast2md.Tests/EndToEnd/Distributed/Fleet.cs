using System.Text.Json;
using Cast2md.Library;
using Cast2md.Queue;
using Cast2md.Services;
using Cast2md.Tests.Infra;

namespace Cast2md.Tests.EndToEnd.Distributed;

/// <summary>
/// A data folder seeded with episodes whose audio is already downloaded, a real `cast2md serve` on it with distributed
/// transcription on, and real `cast2md node` processes with their own HOME folders.
/// </summary>
internal sealed class Fleet : IAsyncDisposable
{
    public static readonly IReadOnlyDictionary<string, string?> StandIn = new Dictionary<string, string?>
    {
        ["WHISPER_MODEL"] = Paths.StandInModel,
        ["WHISPER_DEVICE"] = "cpu",
        // The long jobs of these specs are minutes of noise that keep the stand-in model busy; voice-activity
        // detection would skip them in seconds.
        ["WHISPER_VAD"] = "false",
    };

    private readonly List<NodeProcess> _nodes = [];

    private Fleet(TempDir dir)
    {
        Dir = dir;
        Data = dir.Combine("data");
        Core = Cast2mdCore.Open(Data, name => StandIn.GetValueOrDefault(name));
    }

    public TempDir Dir { get; }
    public string Data { get; }
    public Cast2mdCore Core { get; }
    public ServeProcess Server { get; private set; } = null!;
    public int Port { get; } = ServeProcess.FreePort();

    /// <summary>Server settings for these specs; a spec may add its own.</summary>
    public Dictionary<string, string?> ServerEnvironment { get; } =
        new(StandIn) { ["DISTRIBUTED_TRANSCRIPTION_ENABLED"] = "true", ["NODE_HEARTBEAT_TIMEOUT_SECONDS"] = "5" };

    public static Fleet Create() => new(TempDir.Create());

    public async Task<ServeProcess> StartServerAsync()
    {
        Server = await ServeProcess.StartAsync(Data, ServerEnvironment, port: Port);
        return Server;
    }

    /// <summary>Registers a node in its own HOME and starts it; it is stopped with the fleet.</summary>
    public async Task<NodeProcess> StartNodeAsync(string name, IReadOnlyDictionary<string, string?>? environment = null, Uri? serverUrl = null)
    {
        var variables = new Dictionary<string, string?>(StandIn);
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
            variables[key] = value;
        var home = await NodeProcess.RegisterAsync(Dir, serverUrl ?? Server.BaseUrl, name, variables);
        var node = await NodeProcess.StartAsync(home, variables);
        _nodes.Add(node);
        return node;
    }

    /// <summary>Episodes whose audio (a copy of <paramref name="audioFile"/>) is downloaded, not yet queued.</summary>
    public IReadOnlyList<Episode> AddEpisodes(int count, string audioFile, string podcast = "Distributed Talks")
    {
        var feed = Core.Feeds.Add($"https://example.test/{Guid.NewGuid():N}/feed.xml", new FeedMetadata(podcast));
        var ids = Core.Episodes.Upsert(
            feed.Id,
            Enumerable
                .Range(1, count)
                .Select(i => new EpisodeMetadata($"ep-{i}", $"Episode {i}")
                {
                    AudioUrl = $"https://example.test/{i}.mp3",
                    PublishedAt = DateTimeOffset.UtcNow.AddDays(-i),
                })
                .ToList()
        );
        foreach (var id in ids)
        {
            var episode = Core.Episodes.Get(id)!;
            var relative = Core.Layout.AudioRelativePath(
                feed.Title,
                episode.PublishedAt,
                episode.Title,
                id,
                Path.GetExtension(audioFile).TrimStart('.')
            );
            Directory.CreateDirectory(Path.GetDirectoryName(Core.Layout.Resolve(relative))!);
            File.Copy(audioFile, Core.Layout.Resolve(relative));
            Core.Episodes.SetAudio(id, relative);
            Core.Episodes.SetStatus(id, EpisodeStatus.AudioReady);
        }
        return [.. ids.Select(id => Core.Episodes.Get(id)!)];
    }

    public Job QueueTranscription(Episode episode) => Core.Jobs.Enqueue(episode.Id, JobType.Transcribe, actor: "spec").Job;

    public Task WaitForAsync(Func<bool> condition, string what, int seconds = 120) =>
        Eventually.TrueAsync(
            condition,
            TimeSpan.FromSeconds(seconds),
            what + "\n--- server log ---\n" + Server?.Log + string.Concat(_nodes.Select(n => $"\n--- node {n.Home} ---\n{n.Log}"))
        );

    public Job Job(long id) => Core.Jobs.Get(id)!;

    /// <summary>The job is completed and so is its episode (one transaction commits both).</summary>
    public bool IsDone(Job job) => Job(job.Id).Status == JobStatus.Completed && Core.Episodes.Get(job.EpisodeId)!.Status == EpisodeStatus.Completed;

    public string TranscriptOf(long episodeId) => File.ReadAllText(Core.Layout.Resolve(Core.Episodes.Get(episodeId)!.TranscriptPath!));

    public IEnumerable<string> FilesUnder(string folder) =>
        Directory.Exists(Path.Combine(Data, folder)) ? Directory.EnumerateFiles(Path.Combine(Data, folder), "*", SearchOption.AllDirectories) : [];

    /// <summary>The server's node list (GET /api/nodes).</summary>
    public async Task<JsonElement> NodesAsync()
    {
        using var http = Server.Client();
        using var document = JsonDocument.Parse(await http.GetStringAsync("/api/nodes"));
        return document.RootElement.GetProperty("nodes").Clone();
    }

    public static string NodeIdOf(NodeProcess node)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(node.Home, ".cast2md", "node.json")));
        return document.RootElement.GetProperty("node_id").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
            await node.DisposeAsync();
        if (Server is not null)
            await Server.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Dir.Dispose();
    }
}
