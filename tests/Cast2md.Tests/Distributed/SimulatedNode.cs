using System.Text;
using System.Text.Json;
using Cast2md.Tests.Api;
using Xunit;

namespace Cast2md.Tests.Distributed;

/// <summary>
/// A node speaking the protocol over real HTTP, step by step, so specs can stage what a real node would do (and what a
/// misbehaving one might). <see cref="RegisterAsync"/> returns one with its key; each call answers the raw response.
/// </summary>
public sealed class SimulatedNode(HttpClient http, string id, string apiKey, string name)
{
    public string Id { get; } = id;
    public string ApiKey { get; } = apiKey;
    public string Name { get; } = name;

    /// <summary>Lease tokens of the jobs this node claimed, by job id.</summary>
    public Dictionary<long, string> Tokens { get; } = [];

    public static async Task<SimulatedNode> RegisterAsync(
        HttpClient http,
        string name = "node",
        int? priority = null,
        string? url = null,
        string[]? models = null
    )
    {
        var body = JsonSerializer.Serialize(
            new Dictionary<string, object?>
            {
                ["name"] = name,
                ["url"] = url ?? "http://127.0.0.1:9",
                ["priority"] = priority,
                ["models"] = models,
            }
        );
        using var response = await http.PostAsync("/api/nodes/register", new StringContent(body, Encoding.UTF8, "application/json"));
        var json = await ApiServer.JsonAsync(response);
        Assert.True(response.IsSuccessStatusCode, json.ToString());
        return new SimulatedNode(http, json.GetProperty("node_id").GetString()!, json.GetProperty("api_key").GetString()!, name);
    }

    public Task<HttpResponseMessage> HeartbeatAsync(object? body = null) => SendAsync(HttpMethod.Post, $"/api/nodes/{Id}/heartbeat", body ?? new { });

    /// <summary>Claims; a job it gets is remembered with its lease token. Returns (job id or null, raw JSON).</summary>
    public async Task<(long? JobId, JsonElement Json)> ClaimAsync(double wait = 0, CancellationToken cancellationToken = default, object? body = null)
    {
        using var request = Request(
            HttpMethod.Post,
            $"/api/nodes/{Id}/claim?wait={wait.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            body
        );
        using var response = await http.SendAsync(request, cancellationToken);
        var json = await ApiServer.JsonAsync(response);
        Assert.True(response.IsSuccessStatusCode, json.ToString());
        if (!json.GetProperty("has_job").GetBoolean())
            return (null, json);
        var jobId = json.GetProperty("job_id").GetInt64();
        Tokens[jobId] = json.GetProperty("lease_token").GetString()!;
        return (jobId, json);
    }

    public Task<HttpResponseMessage> ProgressAsync(long jobId, double percent) => JobCallAsync(jobId, "progress", new { progress_percent = percent });

    public Task<HttpResponseMessage> CompleteAsync(long jobId, string text = "Hello from a node.") =>
        JobCallAsync(
            jobId,
            "complete",
            new
            {
                whisper_model = "tiny",
                transcript = new
                {
                    language = "en",
                    model = "tiny",
                    segments = new[]
                    {
                        new
                        {
                            start_ms = 0L,
                            end_ms = 1_500L,
                            start = 0.0m,
                            end = 1.5m,
                            text,
                        },
                        new
                        {
                            start_ms = 1_500L,
                            end_ms = 3_000L,
                            start = 1.5m,
                            end = 3.0m,
                            text = "Second segment.",
                        },
                    },
                },
            }
        );

    public Task<HttpResponseMessage> FailAsync(long jobId, string error, bool retry = true) =>
        JobCallAsync(jobId, "fail", new { error_message = error, retry });

    public Task<HttpResponseMessage> ReleaseAsync(long jobId) => JobCallAsync(jobId, "release", null);

    public Task<HttpResponseMessage> AudioAsync(long jobId, string? range = null)
    {
        var request = Request(HttpMethod.Get, $"/api/nodes/jobs/{jobId}/audio", null, jobId);
        if (range is not null)
            request.Headers.TryAddWithoutValidation("Range", range);
        return http.SendAsync(request);
    }

    /// <summary>A call about a job, with this node's key and the lease token it got for the job (if any).</summary>
    public Task<HttpResponseMessage> JobCallAsync(long jobId, string action, object? body, string? token = null) =>
        http.SendAsync(Request(HttpMethod.Post, $"/api/nodes/jobs/{jobId}/{action}", body, jobId, token));

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body) => http.SendAsync(Request(method, path, body));

    private HttpRequestMessage Request(HttpMethod method, string path, object? body, long? jobId = null, string? token = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Transcriber-Key", ApiKey);
        token ??= jobId is { } id && Tokens.TryGetValue(id, out var held) ? held : null;
        if (token is not null)
            request.Headers.Add("X-Lease-Token", token);
        if (body is not null)
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        return request;
    }
}
