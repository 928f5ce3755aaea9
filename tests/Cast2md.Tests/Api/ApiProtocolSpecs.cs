using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Xunit;

namespace Cast2md.Tests.Api;

public sealed class ApiProtocolSpecs
{
    [Theory(Timeout = 20000)]
    [InlineData("PUT", "/api/settings", "{\"settings\": ")]
    [InlineData("POST", "/api/feeds", "{url: nope}")]
    [InlineData("POST", "/api/queue/batch/episodes", "{\"episode_ids\": [\"one\"]}")]
    public async Task I_can_send_broken_json_and_get_a_400_with_a_detail(string method, string path, string body)
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();

        // Act
        var response = await server.SendJsonAsync(new HttpMethod(method), path, body);

        // Assert
        await ApiAssert.ErrorAsync(HttpStatusCode.BadRequest, response);
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_send_a_body_with_the_wrong_content_type_and_get_a_415_with_a_detail()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/feeds")
        {
            Content = new StringContent("url=https://example.test/feed.xml", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };

        // Act
        var response = await server.Http.SendAsync(request);

        // Assert
        await ApiAssert.ErrorAsync(HttpStatusCode.UnsupportedMediaType, response, "application/json");
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_call_an_unknown_path_or_a_wrong_method_and_get_a_json_detail()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();

        // Act
        var unknown = await server.GetAsync("/api/nothing-here");
        var wrongMethod = await server.SendJsonAsync(HttpMethod.Put, "/api/feeds");
        var notANumber = await server.GetAsync("/api/episodes/abc");

        // Assert
        await ApiAssert.ErrorAsync(HttpStatusCode.NotFound, unknown);
        await ApiAssert.ErrorAsync(HttpStatusCode.MethodNotAllowed, wrongMethod);
        await ApiAssert.ErrorAsync(HttpStatusCode.NotFound, notANumber);
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_only_use_the_api_of_a_server_on_a_public_address_with_the_admin_token()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync("0.0.0.0");
        HttpRequestMessage Get(string path, string? scheme = null, string? token = null)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (scheme is not null)
                request.Headers.Authorization = new AuthenticationHeaderValue(scheme, token);
            return request;
        }

        // Act
        var without = await server.Http.SendAsync(Get("/api/feeds"));
        var wrong = await server.Http.SendAsync(Get("/api/feeds", "Bearer", "not-the-token"));
        var basic = await server.Http.SendAsync(Get("/api/queue/status", "Basic", server.AdminToken));
        var with = await server.Http.SendAsync(Get("/api/feeds", "Bearer", server.AdminToken));
        var withPost = await server.WithToken(new HttpRequestMessage(HttpMethod.Post, "/api/queue/batch/retry-failed"), server.AdminToken);
        var health = await server.Http.SendAsync(Get("/api/health"));

        // Assert
        await ApiAssert.ErrorAsync(HttpStatusCode.Unauthorized, without, "admin token");
        Assert.Equal("Bearer", without.Headers.WwwAuthenticate.Single().Scheme);
        await ApiAssert.ErrorAsync(HttpStatusCode.Unauthorized, wrong);
        await ApiAssert.ErrorAsync(HttpStatusCode.Unauthorized, basic);
        await ApiAssert.StatusAsync(HttpStatusCode.OK, with);
        await ApiAssert.StatusAsync(HttpStatusCode.OK, withPost);
        await ApiAssert.StatusAsync(HttpStatusCode.OK, health);
    }

    [Fact(Timeout = 20000)]
    public async Task I_can_use_the_api_on_loopback_without_a_token()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync();

        // Act
        var response = await server.GetAsync("/api/feeds");

        // Assert
        await ApiAssert.StatusAsync(HttpStatusCode.OK, response);
    }
}
