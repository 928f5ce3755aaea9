using System.Text.Json;
using Cast2md.Library;
using Cast2md.Services;
using Cast2md.Tests.Infra;
using Cast2md.Transcripts;
using CliWrap;
using CliWrap.Buffered;

namespace Cast2md.Tests.CommandLine;

/// <summary>
/// A temporary data folder for CLI specs: seeded in the test process through <see cref="Cast2mdCore"/>, then used by the
/// published binary with --data-dir (and settings from the environment that keep whisper small and on the CPU).
/// </summary>
internal sealed class CliData : IDisposable
{
    private readonly TempDir _dir = TempDir.Create();

    public CliData()
    {
        DataDir = _dir.Combine("data");
        Core = Cast2mdCore.Open(DataDir, _ => null);
    }

    public string DataDir { get; }

    public Cast2mdCore Core { get; }

    public string Combine(params string[] parts) => _dir.Combine(parts);

    /// <summary>What the binary gets on top of the test process's environment.</summary>
    public static IReadOnlyDictionary<string, string?> Environment { get; } =
        new Dictionary<string, string?>
        {
            ["WHISPER_MODEL"] = Paths.RealModel,
            ["WHISPER_DEVICE"] = "cpu",
            ["CAST2MD_DATA_DIR"] = null,
        };

    public Feed AddFeed(string title = "Test Podcast", string? url = null) =>
        Core.Feeds.Add(url ?? $"https://example.test/{Guid.NewGuid():N}.xml", new FeedMetadata(title));

    public Episode AddEpisode(Feed feed, string title, string? audioUrl = "https://example.test/audio.mp3", DateTimeOffset? publishedAt = null)
    {
        var ids = Core.Episodes.Upsert(
            feed.Id,
            [
                new EpisodeMetadata(Guid.NewGuid().ToString("N"), title)
                {
                    AudioUrl = audioUrl,
                    PublishedAt = publishedAt ?? new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero),
                    DurationSeconds = 754,
                },
            ]
        );
        return Core.Episodes.Get(ids.Single())!;
    }

    /// <summary>Stores a two-segment transcript for the episode and marks it completed.</summary>
    public async Task<Episode> AddTranscriptAsync(Episode episode, Feed feed, string text = "Hello from the transcript.")
    {
        var transcript = new Transcript([new TranscriptSegment(0, 2_000, text), new TranscriptSegment(2_000, 4_000, "Second line.")])
        {
            Title = episode.Title,
            Language = "en",
            Model = "tiny",
        };
        var path = await Core.Transcripts.SaveAsync(episode, feed.DisplayTitle, transcript, CancellationToken.None);
        Core.Episodes.SetTranscript(episode.Id, path, "whisper", "tiny", "en");
        return Core.Episodes.Get(episode.Id)!;
    }

    public Command Command(params string[] arguments) => Cast2mdBinary.Command([.. arguments, "--data-dir", DataDir], Environment);

    public Task<BufferedCommandResult> RunAsync(params string[] arguments) => Command(arguments).ExecuteBufferedAsync();

    public static JsonElement Json(BufferedCommandResult result)
    {
        using var document = JsonDocument.Parse(result.StandardOutput);
        return document.RootElement.Clone();
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}
