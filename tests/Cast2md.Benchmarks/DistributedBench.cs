using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cast2md.Library;
using Cast2md.Queue;
using Cast2md.Services;

namespace Cast2md.Benchmarks;

/// <summary>
/// Figures for the distributed protocol against a running `cast2md serve` (scripts/bench-distributed.sh starts it):
/// dispatch latency (job queued through the API → a node's claim returns it) with long-poll and with the original's
/// 5-second poll, and claim→complete cycles per second with many concurrent nodes.
/// </summary>
internal static class DistributedBench
{
    // dispatch URL DATA_DIR long|poll SAMPLES
    public static async Task<int> DispatchAsync(Uri server, string dataDirectory, string mode, int samples)
    {
        using var http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(90) };
        var core = Cast2mdCore.Open(dataDirectory);
        var episodes = SeedEpisodes(core, samples, "dispatch-" + mode);
        var node = await RegisterAsync(http, $"bench-{mode}");
        var latencies = new List<double>();
        foreach (var episodeId in episodes)
        {
            // Jobs arrive at a random moment relative to the node's polling, as they do in life.
            await Task.Delay(Random.Shared.Next(50, 400));
            var claimed = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            var polling = Task.Run(async () =>
            {
                while (true)
                {
                    var job = await node.ClaimAsync(mode == "long" ? 30 : 0);
                    if (job is { } id)
                    {
                        claimed.TrySetResult(id);
                        return;
                    }
                    if (mode != "long")
                        await Task.Delay(TimeSpan.FromSeconds(5));
                }
            });
            if (mode != "long")
                await Task.Delay(Random.Shared.Next(0, 5000)); // a uniformly random phase of the 5 s poll
            else
                await Task.Delay(100); // the claim is parked on the server
            var clock = Stopwatch.StartNew();
            using (var queued = await http.PostAsync($"/api/queue/episodes/{episodeId}/transcribe", null))
                queued.EnsureSuccessStatusCode();
            var jobId = await claimed.Task;
            latencies.Add(clock.Elapsed.TotalMilliseconds);
            await polling;
            await node.CompleteAsync(jobId);
        }

        latencies.Sort();
        Console.WriteLine(
            $"dispatch mode={mode} samples={samples} p50_ms={Percentile(latencies, 0.50):0.0} p99_ms={Percentile(latencies, 0.99):0.0} max_ms={latencies[^1]:0.0}"
        );
        return 0;
    }

    // claims URL DATA_DIR NODES JOBS
    public static async Task<int> ClaimCyclesAsync(Uri server, string dataDirectory, int nodes, int jobs)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = nodes * 2 })
        {
            BaseAddress = server,
            Timeout = TimeSpan.FromSeconds(60),
        };
        var core = Cast2mdCore.Open(dataDirectory);
        foreach (var id in SeedEpisodes(core, jobs, "cycles"))
            core.Jobs.Enqueue(id, JobType.Transcribe);
        var fleet = await Task.WhenAll(Enumerable.Range(0, nodes).Select(i => RegisterAsync(http, $"bench-node-{i}")));
        var claims = new ConcurrentBag<long>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(
            fleet.Select(node =>
                Task.Run(async () =>
                {
                    while (await node.ClaimAsync(0) is { } jobId)
                    {
                        claims.Add(jobId);
                        await node.CompleteAsync(jobId);
                    }
                })
            )
        );
        clock.Stop();
        var distinct = claims.Distinct().Count();
        Console.WriteLine(
            $"claims nodes={nodes} jobs={jobs} completed={claims.Count} held_twice={claims.Count - distinct} "
                + $"cycles_per_s={claims.Count / clock.Elapsed.TotalSeconds:0} seconds={clock.Elapsed.TotalSeconds:0.00}"
        );
        return claims.Count == jobs && distinct == jobs ? 0 : 1;
    }

    /// <summary>Episodes with a small audio file each, ready to transcribe.</summary>
    private static List<long> SeedEpisodes(Cast2mdCore core, int count, string label)
    {
        var feed = core.Feeds.Add($"https://bench.example/{label}/{Guid.NewGuid():N}.xml", new FeedMetadata($"Bench {label}"));
        var ids = core.Episodes.Upsert(
            feed.Id,
            Enumerable
                .Range(0, count)
                .Select(i => new EpisodeMetadata($"{label}-{i}", $"Episode {i}") { AudioUrl = $"https://bench.example/{i}.mp3" })
                .ToList()
        );
        foreach (var id in ids)
        {
            var relative = core.Layout.AudioRelativePath(feed.Title, null, $"Episode {id}", id, "mp3");
            Directory.CreateDirectory(Path.GetDirectoryName(core.Layout.Resolve(relative))!);
            File.WriteAllBytes(core.Layout.Resolve(relative), [0xFF, 0xFB, 0x90, 0x00]);
            core.Episodes.SetAudio(id, relative);
            core.Episodes.SetStatus(id, EpisodeStatus.AudioReady);
        }
        return [.. ids];
    }

    private static async Task<BenchNode> RegisterAsync(HttpClient http, string name)
    {
        using var response = await http.PostAsJsonAsync(
            "/api/nodes/register",
            new Dictionary<string, string> { ["name"] = name, ["url"] = "http://127.0.0.1:9" }
        );
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return new BenchNode(http, json.RootElement.GetProperty("node_id").GetString()!, json.RootElement.GetProperty("api_key").GetString()!);
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private sealed class BenchNode(HttpClient http, string id, string key)
    {
        private readonly ConcurrentDictionary<long, string> _tokens = new();

        public async Task<long?> ClaimAsync(double wait)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/nodes/{id}/claim?wait={wait}");
            request.Headers.Add("X-Transcriber-Key", key);
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            if (!json.RootElement.GetProperty("has_job").GetBoolean())
                return null;
            var jobId = json.RootElement.GetProperty("job_id").GetInt64();
            _tokens[jobId] = json.RootElement.GetProperty("lease_token").GetString()!;
            return jobId;
        }

        public async Task CompleteAsync(long jobId)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/nodes/jobs/{jobId}/complete")
            {
                Content = new StringContent(
                    """{"whisper_model":"bench","transcript":{"segments":[{"start_ms":0,"end_ms":1000,"start":0.0,"end":1.0,"text":"Benchmark."}]}}""",
                    Encoding.UTF8,
                    "application/json"
                ),
            };
            request.Headers.Add("X-Transcriber-Key", key);
            request.Headers.Add("X-Lease-Token", _tokens[jobId]);
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
        }
    }
}
