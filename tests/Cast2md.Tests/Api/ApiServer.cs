extern alias cli;

using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cast2md.Library;
using Cast2md.Queue;
using Cast2md.Services;
using Cast2md.Tests.Infra;
using Cast2md.Transcripts;
using cli::Cast2md.Cli.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Cast2md.Tests.Api;

/// <summary>
/// The real server (Kestrel, free port, a fresh data folder with its SQLite file) hosted in the test process,
/// with an <see cref="HttpClient"/> pointed at it and helpers that seed data straight through <see cref="Cast2mdCore"/>.
/// </summary>
public sealed class ApiServer : IAsyncDisposable
{
    private readonly TempDir _dir;
    private readonly WebApplication _app;

    private ApiServer(TempDir dir, WebApplication app, Uri baseUrl)
    {
        _dir = dir;
        _app = app;
        var services = app.Services.GetRequiredService<ServerServices>();
        Core = services.Core;
        AdminToken = services.AdminToken.Value;
        Dispatcher = services.Dispatcher;
        Http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(20) };
    }

    public Cast2mdCore Core { get; }

    /// <summary>The app's services (its endpoint data source lists every route).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Hands jobs to nodes; <c>Waiting</c> tells how many claims are parked.</summary>
    public Cast2md.NodeRegistry.NodeDispatcher Dispatcher { get; }

    public HttpClient Http { get; }

    public string AdminToken { get; }

    public string DataDirectory => _dir.Path;

    /// <summary>Starts a server on <paramref name="host"/> (port 0); a wildcard address is called through 127.0.0.1.</summary>
    public static async Task<ApiServer> StartAsync(string host = "127.0.0.1", string? registrationToken = null)
    {
        var dir = TempDir.Create();
        var app = ServerApp.Build(new ServerOptions(host, 0, dir.Path) { RegistrationToken = registrationToken });
        await app.StartAsync();
        var address = new Uri(ServerApp.Addresses(app).First());
        var baseUrl = new UriBuilder(address) { Host = "127.0.0.1" }.Uri;
        return new ApiServer(dir, app, baseUrl);
    }

    // Seeding

    public Feed AddFeed(string title = "Test Podcast", string? url = null) =>
        Core.Feeds.Add(
            url ?? $"https://example.test/{Guid.NewGuid():N}/feed.xml",
            new FeedMetadata(title)
            {
                Description = "A podcast for specs",
                Author = "Spec Author",
                Categories = ["Technology", "News"],
            }
        );

    public Episode AddEpisode(
        long feedId,
        string title = "Episode One",
        string? audioUrl = "https://example.test/audio.mp3",
        string? transcriptUrl = null,
        DateTimeOffset? publishedAt = null,
        double? durationSeconds = 600
    )
    {
        var ids = Core.Episodes.Upsert(
            feedId,
            [
                new EpisodeMetadata(Guid.NewGuid().ToString("N"), title)
                {
                    Description = "About " + title,
                    AudioUrl = audioUrl,
                    TranscriptUrl = transcriptUrl,
                    TranscriptType = transcriptUrl is null ? null : "text/vtt",
                    PublishedAt = publishedAt ?? DateTimeOffset.UtcNow.AddDays(-1),
                    DurationSeconds = durationSeconds,
                },
            ]
        );
        return Core.Episodes.Get(Assert.Single(ids))!;
    }

    /// <summary>Writes a small audio file for the episode and marks it downloaded (audio_ready).</summary>
    public Episode GiveAudio(Episode episode)
    {
        var feed = Core.Feeds.Get(episode.FeedId)!;
        var relative = Core.Layout.AudioRelativePath(feed.Title, episode.PublishedAt, episode.Title, episode.Id, "mp3");
        var path = Core.Layout.Resolve(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [0xFF, 0xFB, 0x90, 0x00]);
        Core.Episodes.SetAudio(episode.Id, relative);
        return Core.Episodes.Get(episode.Id)!;
    }

    /// <summary>Saves a two-segment transcript (Markdown plus JSON sidecar) and marks the episode completed.</summary>
    public async Task<Episode> GiveTranscriptAsync(Episode episode, string text = "Hello and welcome")
    {
        var feed = Core.Feeds.Get(episode.FeedId)!;
        var transcript = new Transcript([new TranscriptSegment(0, 2_500, text), new TranscriptSegment(2_500, 5_000, "to the show.")])
        {
            Title = episode.Title,
            Language = "en",
            Model = "tiny",
            Source = "whisper",
        };
        var relative = await Core.Transcripts.SaveAsync(episode, feed.Title, transcript, CancellationToken.None);
        Core.Episodes.SetTranscript(episode.Id, relative, "whisper", "tiny", "en");
        return Core.Episodes.Get(episode.Id)!;
    }

    public Job Enqueue(long episodeId, JobType type = JobType.Download, int priority = 10) =>
        Core.Jobs.Enqueue(episodeId, type, priority, actor: "spec").Job;

    /// <summary>Claims the next job of <paramref name="type"/> as a test worker: the job is running.</summary>
    public JobLease Claim(JobType type = JobType.Download) =>
        Core.Jobs.TryClaim(type, "spec-worker", TimeSpan.FromMinutes(10)) ?? throw new InvalidOperationException("nothing to claim");

    /// <summary>Moves a job's start time (and its last sign of life) back, as if it had been running for <paramref name="age"/> with a silent worker.</summary>
    public void Backdate(long jobId, TimeSpan age)
    {
        using var connection = Core.Database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE jobs SET started_ms = started_ms - $age, alive_ms = COALESCE(alive_ms, started_ms) - $age WHERE id = $id;";
        command.Parameters.AddWithValue("$age", (long)age.TotalMilliseconds);
        command.Parameters.AddWithValue("$id", jobId);
        command.ExecuteNonQuery();
    }

    // HTTP

    public Task<HttpResponseMessage> GetAsync(string path) => Http.GetAsync(path);

    public Task<HttpResponseMessage> SendJsonAsync(HttpMethod method, string path, string? json = null) =>
        Http.SendAsync(
            new HttpRequestMessage(method, path) { Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json") }
        );

    public Task<HttpResponseMessage> PostAsync(string path, string? json = null) => SendJsonAsync(HttpMethod.Post, path, json);

    public Task<HttpResponseMessage> WithToken(HttpRequestMessage request, string? token)
    {
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return Http.SendAsync(request);
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(
            response.Content.Headers.ContentType?.MediaType == "application/json",
            $"expected JSON, got {response.Content.Headers.ContentType}: {text}"
        );
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}
