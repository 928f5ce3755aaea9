using System.Collections.Concurrent;
using System.Text.Json;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.EndToEnd.Distributed;

/// <summary>
/// Our node against a stand-in for the original cast2md server: it answers claims at once (it knows no `wait`) and
/// validates every body with the original's field names and types, refusing (422) what the original refuses.
/// </summary>
[Collection(RealProcessesCollection.Name)]
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed class OriginalServerSpecs
{
    private const string NodeId = "5a0c3c62-9d5e-4c1b-8a51-0f7f3d1b2e11";
    private const string ApiKey = "original-node-key";

    [Fact(Timeout = 90_000)]
    public async Task I_can_run_our_node_against_an_original_server_and_it_polls_gently_reports_whole_percent_and_delivers_markdown()
    {
        // Arrange
        using var dir = TempDir.Create();
        await using var original = OriginalServer.Start(jobAfterClaims: 2, refuseComplete: false);
        var home = WriteNodeConfig(dir, original.Fixture.BaseUrl);
        var environment = new Dictionary<string, string?>(Fleet.StandIn)
        {
            ["WHISPER_MODEL"] = Paths.RealModel,
            ["NODE_POLL_INTERVAL_SECONDS"] = "2",
        };

        // Act
        await using (var node = await NodeProcess.StartAsync(home, environment))
        {
            await Eventually.TrueAsync(() => original.Completed.Count > 0 || original.Refusals.Count > 0, TimeSpan.FromSeconds(60), "a completion");
            await Task.Delay(TimeSpan.FromSeconds(3));
        }

        // Assert
        Assert.True(original.Refusals.IsEmpty, string.Join('\n', original.Refusals));
        var markdown = Assert.Single(original.Completed);
        Assert.Contains("**[00:00]**", markdown);
        Assert.Contains("country", markdown, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("# ", markdown.Split('\n')[0]);
        // Waiting claims answered at once are asked again at the plain interval, not in a tight loop.
        var claims = original.ClaimTimes.ToArray();
        var span = (claims[^1] - claims[0]).TotalSeconds;
        Assert.True(claims.Length <= span / 2 + 3, $"{claims.Length} claims in {span:0.0} s");
    }

    [Fact(Timeout = 90_000)]
    public async Task A_result_the_original_server_refuses_is_reported_as_failed_so_the_job_goes_elsewhere()
    {
        // Arrange
        using var dir = TempDir.Create();
        await using var original = OriginalServer.Start(jobAfterClaims: 0, refuseComplete: true);
        var home = WriteNodeConfig(dir, original.Fixture.BaseUrl);
        var environment = new Dictionary<string, string?>(Fleet.StandIn) { ["NODE_POLL_INTERVAL_SECONDS"] = "2" };

        // Act
        await using (var node = await NodeProcess.StartAsync(home, environment))
            await Eventually.TrueAsync(() => original.Failed.Count > 0, TimeSpan.FromSeconds(60), "a failure report");

        // Assert
        Assert.Contains("refused", Assert.Single(original.Failed));
        Assert.True(Directory.EnumerateFiles(Path.Combine(home, ".cast2md", "spool", "rejected")).Any());
    }

    private static string WriteNodeConfig(TempDir dir, Uri server)
    {
        var home = dir.Combine("home");
        Directory.CreateDirectory(Path.Combine(home, ".cast2md"));
        File.WriteAllText(
            Path.Combine(home, ".cast2md", "node.json"),
            $$"""{"server_url": "{{server.ToString().TrimEnd('/')}}", "node_id": "{{NodeId}}", "api_key": "{{ApiKey}}", "name": "from-original"}"""
        );
        return home;
    }

    /// <summary>The original's node endpoints as the original cast2md serves them, strict about bodies as pydantic is.</summary>
    private sealed class OriginalServer : IAsyncDisposable
    {
        private int _claims;

        private OriginalServer(int jobAfterClaims, bool refuseComplete)
        {
            Fixture = FixtureServer.Start();
            Fixture.Map(
                "/api/health",
                Json("""{"status": "healthy", "database": true, "storage": true, "pool": null, "message": "ok", "build": "dev"}""")
            );
            Fixture.Map($"/api/nodes/{NodeId}/heartbeat", request =>
                Authorised(request) ?? Json("""{"status": "ok", "message": "Heartbeat received"}""")
            );
            Fixture.Map($"/api/nodes/{NodeId}/claim", request =>
            {
                if (Authorised(request) is { } refused)
                    return refused;
                ClaimTimes.Enqueue(DateTime.UtcNow);
                // One job, handed out after some empty answers; the original never holds a claim open.
                return Interlocked.Increment(ref _claims) == jobAfterClaims + 1
                    ? Json("""{"job_id": 7, "episode_id": 3, "episode_title": "Episode", "audio_url": "/api/nodes/jobs/7/audio", "has_job": true}""")
                    : Json("""{"job_id": null, "episode_id": null, "episode_title": null, "audio_url": "", "has_job": false}""");
            });
            Fixture.Map("/api/nodes/jobs/7/audio", request => Authorised(request) ?? FixtureResponse.File(Paths.JfkMp3, "audio/mpeg"));
            Fixture.Map("/api/nodes/jobs/7/progress", request =>
                Authorised(request)
                ?? Validate(
                    request,
                    body => body.TryGetProperty("progress_percent", out var p) && p.ValueKind == JsonValueKind.Number && p.TryGetInt32(out _),
                    """{"message": "Progress updated"}"""
                )
            );
            Fixture.Map("/api/nodes/jobs/7/complete", request =>
            {
                if (Authorised(request) is { } refused)
                    return refused;
                if (refuseComplete)
                    return Refuse(request, "this server refuses every result");
                return Validate(
                    request,
                    body =>
                    {
                        var valid =
                            body.TryGetProperty("transcript_text", out var text)
                            && text.ValueKind == JsonValueKind.String
                            && (
                                !body.TryGetProperty("whisper_model", out var model) || model.ValueKind is JsonValueKind.String or JsonValueKind.Null
                            );
                        if (valid)
                            Completed.Enqueue(text.GetString()!);
                        return valid;
                    },
                    """{"message": "Job completed successfully"}"""
                );
            });
            Fixture.Map("/api/nodes/jobs/7/fail", request => Authorised(request)
                ?? Validate(
                    request,
                    body =>
                    {
                        var valid =
                            body.TryGetProperty("error_message", out var message)
                            && message.ValueKind == JsonValueKind.String
                            && (!body.TryGetProperty("retry", out var retry) || retry.ValueKind is JsonValueKind.True or JsonValueKind.False);
                        if (valid)
                            Failed.Enqueue(message.GetString()!);
                        return valid;
                    },
                    """{"message": "Job marked as failed"}"""
                ));
            Fixture.Map("/api/nodes/jobs/7/release", request => Authorised(request) ?? Json("""{"message": "Job released back to queue"}"""));
        }

        public FixtureServer Fixture { get; }

        public ConcurrentQueue<string> Completed { get; } = new();

        public ConcurrentQueue<string> Failed { get; } = new();

        public ConcurrentQueue<string> Refusals { get; } = new();

        public ConcurrentQueue<DateTime> ClaimTimes { get; } = new();

        public static OriginalServer Start(int jobAfterClaims, bool refuseComplete) => new(jobAfterClaims, refuseComplete);

        private static FixtureResponse? Authorised(FixtureRequest request) =>
            request.Header("X-Transcriber-Key") == ApiKey ? null : FixtureResponse.Status(401);

        private FixtureResponse Validate(FixtureRequest request, Func<JsonElement, bool> valid, string answer)
        {
            try
            {
                using var document = JsonDocument.Parse(request.Body);
                if (document.RootElement.ValueKind == JsonValueKind.Object && valid(document.RootElement))
                    return Json(answer);
            }
            catch (JsonException) { }
            return Refuse(request, request.BodyText);
        }

        private FixtureResponse Refuse(FixtureRequest request, string why)
        {
            Refusals.Enqueue($"{request.Path}: {why}");
            return FixtureResponse.Text("""{"detail": [{"type": "value_error", "msg": "refused by the stand-in"}]}""", "application/json") with
            {
                StatusCode = 422,
            };
        }

        private static FixtureResponse Json(string text) => FixtureResponse.Text(text, "application/json");

        public ValueTask DisposeAsync() => Fixture.DisposeAsync();
    }
}
