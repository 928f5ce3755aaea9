using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.Net;

// The fixture every server spec relies on: these pin down what it promises.
public class FixtureServerSpecs
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { AllowAutoRedirect = false });

    [Fact(Timeout = 15000)]
    public async Task I_can_post_to_a_mapped_path_and_find_the_request_recorded()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        server.Map("/api/echo", r => FixtureResponse.Text(r.BodyText.ToUpperInvariant(), "text/plain"));

        // Act
        using var request = new HttpRequestMessage(HttpMethod.Post, server.Url("/api/echo?x=1")) { Content = new StringContent("hello") };
        request.Headers.Add("X-Test", "yes");
        using var response = await Http.SendAsync(request);

        // Assert
        Assert.Equal("HELLO", await response.Content.ReadAsStringAsync());
        var recorded = Assert.Single(server.RequestsTo("/api/echo"));
        Assert.Equal(
            ("POST", "/api/echo", "?x=1", "yes", "hello"),
            (recorded.Method, recorded.Path, recorded.Query, recorded.Header("x-test"), recorded.BodyText)
        );
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_request_an_unmapped_path_and_get_404()
    {
        // Arrange
        await using var server = FixtureServer.Start();

        // Act
        using var response = await Http.GetAsync(server.Url("/nothing"));

        // Assert
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_request_byte_ranges_of_a_file_and_get_206_or_416()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        server.Map("/b", FixtureResponse.Bytes(Encoding.ASCII.GetBytes("0123456789")).WithRanges());

        // Act
        using var partial = await GetAsync(server.Url("/b"), new RangeHeaderValue(3, 5));
        using var suffix = await GetAsync(server.Url("/b"), new RangeHeaderValue(null, 2));
        using var beyond = await GetAsync(server.Url("/b"), new RangeHeaderValue(10, null));

        // Assert
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal("345", await partial.Content.ReadAsStringAsync());
        Assert.Equal("bytes 3-5/10", partial.Content.Headers.ContentRange!.ToString());
        Assert.Equal("89", await suffix.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, beyond.StatusCode);
        Assert.Equal(10, beyond.Content.Headers.ContentRange!.Length);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_send_validators_and_get_304_only_when_they_match()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        server.Map("/f", FixtureResponse.Text("x").WithETag("\"a\"").WithLastModified(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero)));

        // Act
        using var matching = await GetAsync(server.Url("/f"), headers: ("If-None-Match", "\"a\""));
        using var stale = await GetAsync(server.Url("/f"), headers: ("If-None-Match", "\"b\""));
        using var since = await GetAsync(server.Url("/f"), headers: ("If-Modified-Since", "Wed, 01 Jan 2025 00:00:00 GMT"));
        using var before = await GetAsync(server.Url("/f"), headers: ("If-Modified-Since", "Tue, 31 Dec 2024 00:00:00 GMT"));

        // Assert
        Assert.Equal(
            [HttpStatusCode.NotModified, HttpStatusCode.OK, HttpStatusCode.NotModified, HttpStatusCode.OK],
            new[] { matching.StatusCode, stale.StatusCode, since.StatusCode, before.StatusCode }
        );
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_serve_a_huge_generated_body_and_misbehave_only_once()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        server.Map("/huge", FixtureResponse.Generated(64L * 1024 * 1024, prefix: "ID3"u8.ToArray()));
        server.DropConnectionOnce("/huge", afterBytes: 1000);

        // Act
        var dropped = await Record.ExceptionAsync(() => ReadAllAsync(server.Url("/huge")));
        var length = await ReadAllAsync(server.Url("/huge"));

        // Assert
        Assert.IsAssignableFrom<IOException>(dropped);
        Assert.Equal(64L * 1024 * 1024, length);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_map_a_handler_that_throws_and_get_a_500_naming_the_error()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        server.Map("/bug", (Func<FixtureRequest, FixtureResponse>)(_ => throw new InvalidOperationException("oops")));

        // Act
        using var response = await Http.GetAsync(server.Url("/bug"));

        // Assert
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("oops", await response.Content.ReadAsStringAsync());
    }

    private static async Task<HttpResponseMessage> GetAsync(Uri url, RangeHeaderValue? range = null, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = range;
        foreach (var (name, value) in headers)
            request.Headers.TryAddWithoutValidation(name, value);
        return await Http.SendAsync(request);
    }

    private static async Task<long> ReadAllAsync(Uri url)
    {
        using var response = await Http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[1 << 16];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
            total += read;
        return total;
    }
}
