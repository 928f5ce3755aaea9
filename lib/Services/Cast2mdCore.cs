using Cast2md.Files;
using Cast2md.Library;
using Cast2md.Notifications;
using Cast2md.Queue;
using Cast2md.Settings;
using Cast2md.Storage;

namespace Cast2md.Services;

/// <summary>
/// Everything that works on one data folder, created once per process: `serve` hosts it, and the CLI
/// commands open the same folder beside a running server (SQLite WAL makes that safe).
/// </summary>
public sealed class Cast2mdCore
{
    private Cast2mdCore(string dataDirectory, Func<string, string?> environment, Net.AddressPolicy? addressPolicy)
    {
        DataDirectory = dataDirectory;
        Directory.CreateDirectory(dataDirectory);
        Database = Database.Open(DataFolder.DataDirectory.DatabasePath(dataDirectory));
        Settings = new SettingsStore(Database, environment);
        Layout = new StorageLayout(dataDirectory);
        Feeds = new FeedStore(Database);
        Episodes = new EpisodeStore(Database);
        // Before the queue: every path that fails a job for good (the holder, the lease reaper, the stuck reset) adds its
        // notification in the failure's own transaction.
        Notifications = new NotificationOutbox(Database, Settings);
        Jobs = new JobStore(
            Database,
            new QueueOptions { MaxAttempts = Settings.GetInt(SettingDefinitions.MaxRetryAttempts) },
            onFailedForGood: (connection, transaction, failed) =>
                Notifications.JobFailed(connection, transaction, failed.EpisodeId, failed.JobType, failed.Error, failed.Worker)
        );
        Nodes = new NodeRegistry.NodeStore(Database);
        Queue = new QueueService(Episodes, Feeds, Jobs, Signal, Database);
        Transcripts = new TranscriptService(Episodes, Layout);
        Outcomes = new JobOutcomes(Jobs, Signal, Layout, notifications: Notifications);
        FeedService = new FeedService(this);
        Splitter = new SpanSplitter(this);
        Search = new Search.SearchService(Database);
        var userAgent = Settings.GetString(SettingDefinitions.UserAgent);
        AddressPolicy = addressPolicy
            ?? (Settings.GetBool(SettingDefinitions.AllowPrivateFeeds) ? Net.AddressPolicy.Default : new Net.AddressPolicy { AllowPrivate = false });
        _http = new(() =>
            Net.Cast2mdHttp.CreateClient(
                new Net.HttpClientOptions
                {
                    UserAgent = userAgent,
                    RequestTimeout = TimeSpan.FromSeconds(Settings.GetInt(SettingDefinitions.RequestTimeout)),
                    AddressPolicy = AddressPolicy,
                }
            )
        );
        // Its own client: a notification target that hangs must not hold up feeds, and its timeout is the sender's own.
        _notificationSender = new(() =>
            new NotificationSender(
                Net.Cast2mdHttp.CreateClient(
                    new Net.HttpClientOptions
                    {
                        UserAgent = userAgent,
                        ConnectTimeout = TimeSpan.FromSeconds(10),
                        RequestTimeout = TimeSpan.FromSeconds(20),
                        MaxRedirects = 0,
                        AddressPolicy = AddressPolicy,
                    }
                ),
                Settings
            )
        );
        _downloadHttp = new(() =>
            Net.Cast2mdHttp.CreateClient(Net.HttpClientOptions.ForDownloads.WithUserAgent(userAgent) with { AddressPolicy = AddressPolicy })
        );
    }

    private readonly Lazy<HttpClient> _http;
    private readonly Lazy<HttpClient> _downloadHttp;
    private readonly Lazy<NotificationSender> _notificationSender;

    public string DataDirectory { get; }
    public Database Database { get; }
    public SettingsStore Settings { get; }
    public StorageLayout Layout { get; }
    public FeedStore Feeds { get; }
    public EpisodeStore Episodes { get; }
    public JobStore Jobs { get; }
    public NodeRegistry.NodeStore Nodes { get; }
    public QueueSignal Signal { get; } = new();

    /// <summary>The idle transcription workers that take spans (the local worker, parked nodes).</summary>
    public Queue.IdleTranscribers Idle { get; } = new();

    /// <summary>Whether a claimed long transcription is split into spans (see <see cref="SpanSplitter"/>).</summary>
    public SpanSplitter Splitter { get; }
    public QueueService Queue { get; }
    public TranscriptService Transcripts { get; }

    /// <summary>Notifications still to send (ntfy, webhook); `serve` drains it.</summary>
    public NotificationOutbox Notifications { get; }

    /// <summary>Sends one notification to ntfy or the webhook now (the outbox's sender and the settings test use it).</summary>
    public NotificationSender NotificationSender => _notificationSender.Value;

    /// <summary>Every job ending and the episode change that goes with it (see <see cref="JobOutcomes"/>).</summary>
    public JobOutcomes Outcomes { get; }
    public FeedService FeedService { get; }

    /// <summary>Full-text search over transcripts and episode titles (CLI, REST API, MCP).</summary>
    public Search.SearchService Search { get; }

    /// <summary>Where <see cref="Http"/> and <see cref="DownloadHttp"/> may connect (ALLOW_PRIVATE_FEEDS).</summary>
    public Net.AddressPolicy AddressPolicy { get; }

    /// <summary>For feeds and publisher transcripts: USER_AGENT, REQUEST_TIMEOUT, decompression.</summary>
    public HttpClient Http => _http.Value;

    /// <summary>For audio: no whole-request timeout (a stalled body is caught by the idle timeout), no decompression.</summary>
    public HttpClient DownloadHttp => _downloadHttp.Value;

    /// <summary>Opens (creating if needed) a data folder: --data-dir, else $CAST2MD_DATA_DIR, else ~/.cast2md/data.</summary>
    /// <param name="addressPolicy">Where outbound requests may connect; by default from ALLOW_PRIVATE_FEEDS (specs pass one with their own resolver).</param>
    public static Cast2mdCore Open(string? dataDirectory = null, Func<string, string?>? environment = null, Net.AddressPolicy? addressPolicy = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        return new Cast2mdCore(DataFolder.DataDirectory.Resolve(dataDirectory, environment), environment, addressPolicy);
    }
}
