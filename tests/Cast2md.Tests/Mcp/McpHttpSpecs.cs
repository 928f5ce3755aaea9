using System.Net;
using System.Text;
using Cast2md.Tests.Api;
using ModelContextProtocol.Client;
using Xunit;

namespace Cast2md.Tests.Mcp;

/// <summary>/mcp on serve: the admin API's access beyond loopback, and no way in for another site's web page.</summary>
public sealed class McpHttpSpecs
{
    private const string Initialize =
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"spec","version":"1"}}}""";

    private static HttpRequestMessage InitializeRequest(string? token = null, string? origin = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent(Initialize, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (token is not null)
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        if (origin is not null)
            request.Headers.Add("Origin", origin);
        return request;
    }

    [Fact(Timeout = 60000)]
    public async Task Beyond_loopback_mcp_refuses_a_client_without_the_admin_token()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync("0.0.0.0");

        // Act
        using var response = await server.Http.SendAsync(InitializeRequest());

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact(Timeout = 60000)]
    public async Task Mcp_refuses_a_call_from_another_sites_web_page_even_with_the_token()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync("0.0.0.0");

        // Act
        using var response = await server.Http.SendAsync(InitializeRequest(server.AdminToken, origin: "http://evil.example"));

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact(Timeout = 60000)]
    public async Task With_the_admin_token_a_client_lists_the_feeds_over_http()
    {
        // Arrange
        await using var server = await ApiServer.StartAsync("0.0.0.0");
        server.AddFeed("The Daily Spec");
        var transport = new HttpClientTransport(
            new HttpClientTransportOptions
            {
                Endpoint = new Uri(server.Http.BaseAddress!, "/mcp"),
                TransportMode = HttpTransportMode.StreamableHttp,
                AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {server.AdminToken}" },
            }
        );
        await using var client = await McpClient.CreateAsync(transport);

        // Act
        var result = await client.CallToolAsync("list_feeds");

        // Assert
        Assert.NotEqual(true, result.IsError);
        Assert.Contains("The Daily Spec", string.Concat(result.Content.OfType<ModelContextProtocol.Protocol.TextContentBlock>().Select(c => c.Text)));
    }
}
