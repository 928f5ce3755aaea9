extern alias cli;

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Cast2md.NodeRegistry;
using Cast2md.Tests.Distributed;
using cli::Cast2md.Cli.Server.Guards;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Cast2md.Tests.Api;

/// <summary>Who may call what: decided from the matched endpoint, before any body is read, and never for a web page of another site.</summary>
public sealed class AccessSecuritySpecs
{
    private static readonly string[] PublicRoutes = ["/api/health", "/api/system/health"];

    /// <summary>A concrete path for a route pattern: every parameter filled with a value its constraint accepts.</summary>
    private static string Concrete(RouteEndpoint endpoint) =>
        "/"
        + string.Join(
            '/',
            endpoint.RoutePattern.PathSegments.Select(segment =>
                string.Concat(
                    segment.Parts.Select(part =>
                        part switch
                        {
                            Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
                            Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "status" } => "new",
                            Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter
                                when parameter.ParameterPolicies.Any(p => p.Content == "long") => "1",
                            Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart => "some-value",
                            _ => "",
                        }
                    )
                )
            )
        );

    [Fact(Timeout = 60000)]
    public async Task Every_route_but_health_refuses_an_unauthenticated_call_when_the_server_is_bound_beyond_loopback()
    {
        // Arrange: every route the app really has, from its endpoint data source
        await using var server = await NodeSpecs.StartAsync("0.0.0.0");
        var endpoints = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.True(endpoints.Count > 50, $"only {endpoints.Count} routes found");

        // Act
        var answers = new List<(string Route, bool Public, bool Declared, HttpStatusCode Status)>();
        foreach (var endpoint in endpoints)
        {
            var path = Concrete(endpoint);
            var access = endpoint.Metadata.GetMetadata<ApiAccessMetadata>();
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method is not ("GET" or "DELETE"))
                    request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                using var response = await server.Http.SendAsync(request);
                answers.Add(
                    ($"{method} {endpoint.RoutePattern.RawText}", access?.Access == ApiAccess.Public, access is not null, response.StatusCode)
                );
            }
        }

        // Assert: each route declared who may call it; only the health checks answer a stranger
        Assert.All(answers, a => Assert.True(a.Declared, $"{a.Route} declares no access"));
        Assert.Equal(PublicRoutes.Order(), answers.Where(a => a.Public).Select(a => a.Route.Split(' ')[1]).Order());
        Assert.All(answers.Where(a => !a.Public), a => Assert.True(a.Status == HttpStatusCode.Unauthorized, $"{a.Route} answered {(int)a.Status}"));
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_not_delete_the_stale_nodes_with_a_made_up_node_key_by_spelling_stale_in_capitals()
    {
        // Arrange: an idle node, offline long enough to count as stale
        await using var server = await NodeSpecs.StartAsync("0.0.0.0");
        var (node, _) = server.Core.Nodes.Register(new NodeRegistration("idle", "http://127.0.0.1:9", null, null, [], 10), TimeSpan.FromSeconds(60));
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/nodes/STALE?offline_hours=0");
        request.Headers.Add("X-Transcriber-Key", "anything");

        // Act
        using var response = await server.Http.SendAsync(request);

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotNull(server.Core.Nodes.Get(node.Id));
    }

    [Fact(Timeout = 20000)]
    public async Task I_get_a_413_for_a_body_larger_than_the_endpoint_accepts_even_with_the_right_credentials()
    {
        // Arrange
        await using var server = await NodeSpecs.StartAsync("0.0.0.0");
        var node = await RegisterAsAdminAsync(server, "big");
        var (_, job) = server.QueueTranscription();
        var (claimed, _) = await node.ClaimAsync();
        var settings = "{\"settings\": {\"ntfy_topic\": \"" + new string('x', 70 * 1024) + "\"}}";

        // Act
        // (with Expect: 100-continue, so the client hears the refusal instead of a connection the server closed mid-body)
        using var transcriptRequest = new HttpRequestMessage(HttpMethod.Post, $"/api/nodes/jobs/{job.Id}/complete")
        {
            Content = new StringContent($"{{\"transcript_text\": \"{new string('a', 9 * 1024 * 1024)}\"}}", Encoding.UTF8, "application/json"),
            Headers = { ExpectContinue = true },
        };
        transcriptRequest.Headers.Add("X-Transcriber-Key", node.ApiKey);
        transcriptRequest.Headers.Add("X-Lease-Token", node.Tokens[job.Id]);
        using var tooBigTranscript = await server.Http.SendAsync(transcriptRequest);
        using var tooBigSettings = await server.WithToken(
            new HttpRequestMessage(HttpMethod.Put, "/api/settings")
            {
                Content = new StringContent(settings, Encoding.UTF8, "application/json"),
                Headers = { ExpectContinue = true },
            },
            server.AdminToken
        );

        // Assert
        Assert.Equal(job.Id, claimed);
        await ApiAssert.ErrorAsync(HttpStatusCode.RequestEntityTooLarge, tooBigTranscript, "8 MB");
        await ApiAssert.ErrorAsync(HttpStatusCode.RequestEntityTooLarge, tooBigSettings, "64 KB");
        Assert.Equal(Cast2md.Queue.JobStatus.Running, server.Core.Jobs.Get(job.Id)!.Status);
    }

    [Fact(Timeout = 60000)]
    public async Task A_ten_hour_transcript_fits_the_result_limit_and_is_stored()
    {
        // Arrange: whisper's typical density, one segment of about 70 characters every 3.5 s for 10 hours
        await using var server = await NodeSpecs.StartAsync();
        var node = await SimulatedNode.RegisterAsync(server.Http, "long");
        var (_, job) = server.QueueTranscription();
        await node.ClaimAsync();
        var segments = Enumerable
            .Range(0, 10 * 3600 * 1000 / 3500)
            .Select(i => new
            {
                start_ms = i * 3500L,
                end_ms = i * 3500L + 3500,
                start = i * 3.5m,
                end = i * 3.5m + 3.5m,
                text = $"Segment {i}: and that is roughly how long a spoken sentence is in a podcast.",
            })
            .ToArray();
        var body = System.Text.Json.JsonSerializer.Serialize(
            new
            {
                whisper_model = "tiny",
                transcript = new
                {
                    language = "en",
                    model = "tiny",
                    segments,
                },
            }
        );

        // Act
        using var response = await node.JobCallAsync(job.Id, "complete", System.Text.Json.JsonDocument.Parse(body).RootElement);

        // Assert: about 1.3 MB, well inside the limit
        Assert.InRange(Encoding.UTF8.GetByteCount(body), 1_000_000, BodyLimits.Transcript / 4);
        await ApiAssert.StatusAsync(HttpStatusCode.OK, response);
        Assert.Equal(Cast2md.Queue.JobStatus.Completed, server.Core.Jobs.Get(job.Id)!.Status);
    }

    [Fact(Timeout = 20000)]
    public async Task A_web_page_of_another_site_can_not_cancel_a_job_with_a_form_post()
    {
        // Arrange: what a browser sends for <form method=post action=http://127.0.0.1:8000/api/queue/15/cancel>
        await using var server = await ApiServer.StartAsync();
        var feed = server.AddFeed();
        var job = server.Enqueue(server.AddEpisode(feed.Id).Id);
        HttpRequestMessage Form(string? origin, string? fetchSite)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/queue/{job.Id}/cancel")
            {
                Content = new StringContent("", Encoding.UTF8, "application/x-www-form-urlencoded"),
            };
            if (origin is not null)
                request.Headers.Add("Origin", origin);
            if (fetchSite is not null)
                request.Headers.Add("Sec-Fetch-Site", fetchSite);
            return request;
        }

        // Act
        using var crossOrigin = await server.Http.SendAsync(Form("https://evil.example", null));
        using var crossSite = await server.Http.SendAsync(Form(null, "cross-site"));
        using var otherPort = await server.Http.SendAsync(Form("http://127.0.0.1:3000", "same-site"));
        using var nullOrigin = await server.Http.SendAsync(Form("null", null));

        // Assert
        await ApiAssert.ErrorAsync(HttpStatusCode.Forbidden, crossOrigin, "https://evil.example");
        await ApiAssert.ErrorAsync(HttpStatusCode.Forbidden, crossSite, "cross-site");
        await ApiAssert.ErrorAsync(HttpStatusCode.Forbidden, otherPort);
        await ApiAssert.ErrorAsync(HttpStatusCode.Forbidden, nullOrigin);
        Assert.Equal(Cast2md.Queue.JobStatus.Queued, server.Core.Jobs.Get(job.Id)!.Status);
    }

    [Fact(Timeout = 20000)]
    public async Task The_servers_own_page_and_non_browser_clients_can_still_change_things()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var feed = server.AddFeed();
        var first = server.Enqueue(server.AddEpisode(feed.Id, "One").Id);
        var second = server.Enqueue(server.AddEpisode(feed.Id, "Two").Id);
        using var sameOrigin = new HttpRequestMessage(HttpMethod.Post, $"/api/queue/{first.Id}/cancel");
        sameOrigin.Headers.Add("Origin", server.Http.BaseAddress!.GetLeftPart(UriPartial.Authority));
        sameOrigin.Headers.Add("Sec-Fetch-Site", "same-origin");

        // Act
        using var fromOwnPage = await server.Http.SendAsync(sameOrigin);
        using var fromCurl = await server.PostAsync($"/api/queue/{second.Id}/cancel");

        // Assert
        await ApiAssert.StatusAsync(HttpStatusCode.OK, fromOwnPage);
        await ApiAssert.StatusAsync(HttpStatusCode.OK, fromCurl);
    }

    [Fact(Timeout = 20000)]
    public async Task A_request_under_a_rebound_host_name_gets_no_read_or_write_access()
    {
        // Arrange: DNS rebinding: the attacker's name now points at 127.0.0.1, and the browser sends that name
        await using var server = await ApiServer.StartAsync();
        server.AddFeed("Private Feed");
        HttpRequestMessage Rebound(HttpMethod method, string path)
        {
            var request = new HttpRequestMessage(method, path);
            request.Headers.Host = "rebind.attacker.example";
            return request;
        }

        // Act
        using var read = await server.Http.SendAsync(Rebound(HttpMethod.Get, "/api/feeds"));
        using var write = await server.Http.SendAsync(Rebound(HttpMethod.Post, "/api/queue/batch/retry-failed"));
        using var localhost = await server.Http.SendAsync(
            new HttpRequestMessage(HttpMethod.Get, "/api/feeds") { Headers = { Host = $"localhost:{server.Http.BaseAddress!.Port}" } }
        );
        // an address cannot be re-pointed by anyone's DNS: a node reaching a container through its host's address passes
        using var address = await server.Http.SendAsync(
            new HttpRequestMessage(HttpMethod.Get, "/api/feeds") { Headers = { Host = "192.168.1.100:8000" } }
        );

        // Assert
        var detail = await ApiAssert.ErrorAsync(HttpStatusCode.BadRequest, read, "ALLOWED_HOSTS");
        Assert.Contains("rebind.attacker.example", detail);
        Assert.DoesNotContain("Private Feed", detail);
        await ApiAssert.ErrorAsync(HttpStatusCode.BadRequest, write, "ALLOWED_HOSTS");
        await ApiAssert.StatusAsync(HttpStatusCode.OK, localhost);
        await ApiAssert.StatusAsync(HttpStatusCode.OK, address);
    }

    [Theory(Timeout = 20000)]
    [InlineData("text/plain", "{\"priority\": 1}")]
    [InlineData("application/x-www-form-urlencoded", "priority=1")]
    [InlineData(null, "{\"priority\": 1}")]
    public async Task A_body_that_is_not_json_is_refused_with_a_415_before_anything_changes(string? contentType, string body)
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var episode = server.AddEpisode(server.AddFeed().Id);
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null)
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType);

        // Act
        using var response = await server.Http.PostAsync($"/api/queue/episodes/{episode.Id}/download", content);

        // Assert
        await ApiAssert.ErrorAsync(HttpStatusCode.UnsupportedMediaType, response, "application/json");
        Assert.Empty(server.Core.Jobs.List(Cast2md.Queue.JobStatus.Queued));
    }

    [Fact(Timeout = 20000)]
    public async Task An_unexpected_database_failure_answers_500_without_the_sqlite_message()
    {
        // Arrange: the feeds table is gone under the server
        await using var server = await ApiServer.StartAsync();
        using (var connection = server.Core.Database.Connect())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "PRAGMA foreign_keys = OFF; DROP TABLE episodes; DROP TABLE feeds;";
            command.ExecuteNonQuery();
        }

        // Act
        using var response = await server.GetAsync("/api/feeds");

        // Assert
        var detail = await ApiAssert.ErrorAsync(HttpStatusCode.InternalServerError, response, "Internal server error");
        Assert.DoesNotContain("SQLite", detail, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("no such table", detail, StringComparison.OrdinalIgnoreCase);
        Assert.Matches("reference [0-9a-f]{8}", detail);
    }

    [Fact(Timeout = 30000)]
    public async Task Registrations_from_one_address_are_rate_limited()
    {
        // Arrange
        await using var server = await NodeSpecs.StartAsync();
        var statuses = new List<HttpStatusCode>();

        // Act
        for (var i = 0; i < RateLimits.RegistrationsPerMinute + 3; i++)
        {
            using var response = await server.PostAsync("/api/nodes/register", $"{{\"name\": \"n{i}\", \"url\": \"http://127.0.0.1:9\"}}");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await ApiAssert.ErrorAsync(HttpStatusCode.TooManyRequests, response, "try again");
                Assert.NotNull(response.Headers.RetryAfter);
            }
        }

        // Assert
        Assert.Equal(RateLimits.RegistrationsPerMinute, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(RateLimits.RegistrationsPerMinute, server.Core.Nodes.List().Count);
    }

    [Fact]
    public void The_host_names_a_server_answers_to_are_loopback_its_bound_name_and_allowed_hosts()
    {
        // Act
        var loopback = ServerHosts.Allowed(new cli::Cast2md.Cli.Server.ServerOptions("127.0.0.1", 8000, "/tmp/x"), null);
        var named = ServerHosts.Allowed(new cli::Cast2md.Cli.Server.ServerOptions("cast.lan", 8000, "/tmp/x"), "cast.example.com; *.tailnet.ts.net");

        // Assert
        Assert.Equal(["localhost", "127.0.0.1", "[::1]"], loopback);
        Assert.Equal(["localhost", "127.0.0.1", "[::1]", "cast.lan", "cast.example.com", "*.tailnet.ts.net"], named);
    }

    internal static async Task<SimulatedNode> RegisterAsAdminAsync(ApiServer server, string name)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/nodes/register")
        {
            Content = new StringContent($"{{\"name\": \"{name}\", \"url\": \"http://127.0.0.1:9\"}}", Encoding.UTF8, "application/json"),
        };
        using var response = await server.WithToken(request, server.AdminToken);
        var json = await ApiServer.JsonAsync(response);
        Assert.True(response.IsSuccessStatusCode, json.ToString());
        return new SimulatedNode(server.Http, json.GetProperty("node_id").GetString()!, json.GetProperty("api_key").GetString()!, name);
    }
}
