using Cast2md.Api;
using Cast2md.Tui.Client;

namespace Cast2md.Tests.Monitor;

/// <summary>Fixed data for the monitor specs: one clock, one server, two nodes, a few jobs, feeds and settings.</summary>
internal static class MonitorData
{
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    public static DateTime Ago(double seconds) => Now.UtcDateTime.AddSeconds(-seconds);

    private static QueueTypeStatus Empty => new(0, 0, 0, 0, 0, [], []);

    public static QueueStatusResponse Queue =>
        new(
            true,
            2,
            2,
            1,
            0,
            0,
            Empty with
            {
                Running = 0,
            },
            Empty,
            new QueueTypeStatus(
                2,
                1,
                5,
                1,
                0,
                [new QueueJobSummary(41, 7, "Episode 7: The Long Interview", 10, "node:n-gpu", 62.5)],
                [new QueueJobSummary(42, 8, "Episode 8: Short Talk", 10, null, null), new QueueJobSummary(43, 9, "Episode 9: Q&A", 5, null, null)]
            ),
            Empty
        );

    public static QueueStatsResponse Stats => new(new QueueStatsWindow(3, 95.5, 600, 200, 9.55), new QueueStatsWindow(12, 410, 3000, 250, 8.2), []);

    public static IReadOnlyList<NodeResponse> Nodes =>
        [
            new(
                "n-gpu",
                "gpu-box",
                "http://127.0.0.5:8001",
                "large-v3-turbo",
                "whisper.cpp",
                "busy",
                Ago(4),
                41,
                10,
                [],
                [41],
                62.5,
                Ago(86400),
                Speed: 24.5,
                CurrentJobEtaSeconds: 245
            ),
            new("n-old", "old-laptop", "http://127.0.0.9:8001", "base", "whisper.cpp", "offline", Ago(7200), null, 10, [], [], null, Ago(86400 * 3)),
        ];

    public static IReadOnlyList<QueueJobEntry> Failed =>
        [
            new(
                40,
                6,
                "Episode 6: Broken Audio",
                "Demo Cast",
                "transcribe",
                "failed",
                false,
                10,
                3,
                3,
                Ago(3600),
                Ago(3600),
                Ago(3000),
                Ago(2900),
                100,
                "ffmpeg exited 1: invalid data found",
                null,
                null
            ),
        ];

    public static IReadOnlyList<FeedResponse> Feeds =>
        [
            new(
                1,
                "http://feeds.example/demo.xml",
                "Demo Cast",
                null,
                null,
                null,
                "Demo Cast",
                "Ann",
                null,
                [],
                Ago(300),
                null,
                9,
                new Dictionary<string, int> { ["completed"] = 5, ["new"] = 4 },
                Ago(86400 * 10),
                Ago(300)
            ),
        ];

    public static IReadOnlyList<EpisodeResponse> Episodes =>
        [
            new(
                9,
                1,
                "g9",
                "Episode 9: Q&A",
                null,
                "http://a/9.mp3",
                1830,
                Ago(86400),
                "transcribing",
                null,
                null,
                null,
                null,
                null,
                null,
                false,
                Ago(86400),
                Ago(60)
            ),
            new(
                5,
                1,
                "g5",
                "Episode 5: Origins",
                null,
                "http://a/5.mp3",
                3725,
                Ago(86400 * 5),
                "completed",
                "/x/5.mp3",
                "/x/5.md",
                null,
                "whisper",
                "base",
                null,
                false,
                Ago(86400 * 5),
                Ago(86400 * 4)
            ),
        ];

    public static SettingsResponse Settings =>
        new(
            new Dictionary<string, SettingResponse>
            {
                ["whisper_model"] = Setting("base", "Whisper model", "string"),
                ["distributed_transcription_enabled"] = Setting("true", "Distributed transcription", "bool"),
                ["node_heartbeat_timeout_seconds"] = Setting("60", "Node offline after", "int", unit: "s"),
                ["remote_job_timeout_minutes"] = Setting("30", "Node job timeout", "double", unit: "min"),
                ["admin_token"] = Setting("secret", "Admin token", "string", secret: true),
            },
            ["whisper_model", "distributed_transcription_enabled", "node_heartbeat_timeout_seconds", "remote_job_timeout_minutes"]
        );

    private static SettingResponse Setting(string value, string label, string type, string? unit = null, bool secret = false) =>
        new(value, null, "default", false, type, label, $"{label}.", null, null, null, unit, !secret, secret, false, null);

    public static ServerSnapshot Snapshot =>
        new(Now, new HealthResponse("healthy", true, true, "ok", "test", "0.1.0"), Queue, Stats, Failed, Nodes, Feeds, Settings, null);

    public static Cast2md.Search.SearchPage Hits =>
        new(
            "lighthouse",
            50,
            0,
            false,
            [
                new(
                    "segment",
                    5,
                    "Episode 5: Origins",
                    1,
                    "Demo Cast",
                    250_000,
                    259_000,
                    "00:04:10",
                    "…the old **lighthouse** keeper told us…",
                    Ago(86400 * 5)
                ),
                new("episode", 9, "Episode 9: Q&A", 1, "Demo Cast", null, null, null, "Questions about the **lighthouse**", Ago(86400)),
            ]
        );

    /// <summary>Thirty ten-second segments; the one at 4:10 is the hit of <see cref="Hits"/>.</summary>
    public static Cast2md.Transcripts.TranscriptJsonDocument Transcript =>
        new(
            "Episode 5: Origins",
            "en",
            null,
            "base",
            300_000,
            null,
            [
                .. Enumerable
                    .Range(0, 30)
                    .Select(i =>
                        Cast2md.Transcripts.TranscriptJsonSegment.From(
                            new Cast2md.Transcripts.TranscriptSegment(
                                i * 10_000L,
                                i * 10_000L + 9_000,
                                i == 25 ? "And the old lighthouse keeper told us everything." : $"Line number {i} of the talk."
                            )
                        )
                    ),
            ]
        );

    public static ServerSnapshot Unreachable => new(Now, null, null, null, [], [], [], null, "Connection refused");

    public static NodeSnapshot Node =>
        new(
            Now,
            new NodeMonitorConfig(
                "/home/me/.cast2md/node.json",
                true,
                "http://127.0.0.1:8000",
                "n-gpu",
                "gpu-box",
                "abcd********",
                "http://127.0.0.5:8001"
            ),
            new NodeStatusResponse(
                "n-gpu",
                "gpu-box",
                "http://127.0.0.1:8000",
                "transcribing",
                new NodeJobStatus(41, 7, "Episode 7: The Long Interview", "transcribing", 62.5, Ago(120)),
                null,
                4,
                1,
                0,
                Ago(3),
                true,
                0,
                new NodeWhisperStatus("auto", "whisper.cpp", "large-v3-turbo", "cuda", "float16"),
                new NodeAutoTerminationStatus(true, 0, 0, 0, 0, 0),
                "0.1.0",
                Ago(4000).ToUniversalTime(),
                4000,
                "http://127.0.0.5:8001"
            ),
            null,
            Queue,
            null
        );
}

/// <summary>A clock at <see cref="MonitorData.Now"/> in UTC, so rendered times do not depend on the machine's zone.</summary>
internal sealed class FixedClock : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => MonitorData.Now;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}

/// <summary>An API that answers with the fixed data and records the calls made.</summary>
internal sealed class FakeServerApi : IServerApi
{
    public List<string> Calls { get; } = [];

    public string ServerUrl => "http://127.0.0.1:8000";

    public Task<ServerSnapshot> FetchAsync(bool includeFeedsAndSettings, CancellationToken cancellationToken = default) =>
        Task.FromResult(MonitorData.Snapshot);

    public Task<IReadOnlyList<EpisodeResponse>> EpisodesAsync(long feedId, CancellationToken cancellationToken = default) =>
        Task.FromResult(MonitorData.Episodes);

    public Task<string> TranscriptAsync(long episodeId, CancellationToken cancellationToken = default) => Task.FromResult("Hello.");

    public Task<Cast2md.Transcripts.TranscriptJsonDocument> TranscriptSegmentsAsync(long episodeId, CancellationToken cancellationToken = default) =>
        Task.FromResult(MonitorData.Transcript);

    public Task<Cast2md.Search.SearchPage> SearchAsync(string query, CancellationToken cancellationToken = default)
    {
        Calls.Add($"search {query}");
        return Task.FromResult(MonitorData.Hits);
    }

    private Task<string> Record(string call)
    {
        Calls.Add(call);
        return Task.FromResult("ok");
    }

    public Task<string> JobActionAsync(long jobId, string action, CancellationToken cancellationToken = default) => Record($"{action} {jobId}");

    public Task<string> SetPriorityAsync(long jobId, int priority, CancellationToken cancellationToken = default) =>
        Record($"priority {jobId} {priority}");

    public Task<NodeRegisterResponse> AddNodeAsync(string name, string url, CancellationToken cancellationToken = default)
    {
        Calls.Add($"add {name}");
        return Task.FromResult(new NodeRegisterResponse("n-new", "key-123", "added"));
    }

    public Task<string> TestNodeAsync(string nodeId, CancellationToken cancellationToken = default) => Record($"test {nodeId}");

    public Task<string> DeleteNodeAsync(string nodeId, CancellationToken cancellationToken = default) => Record($"delete {nodeId}");

    public Task<string> AddFeedAsync(string url, CancellationToken cancellationToken = default) => Record($"add feed {url}");

    public Task<string> RefreshFeedAsync(long feedId, CancellationToken cancellationToken = default) => Record($"refresh {feedId}");

    public Task<string> ProcessFeedAsync(long feedId, CancellationToken cancellationToken = default) => Record($"process feed {feedId}");

    public Task<string> EpisodeActionAsync(long episodeId, string action, CancellationToken cancellationToken = default) =>
        Record($"{action} episode {episodeId}");

    public Task<string> UpdateSettingAsync(string key, string type, string value, CancellationToken cancellationToken = default) =>
        Record($"set {key}={value}");
}
