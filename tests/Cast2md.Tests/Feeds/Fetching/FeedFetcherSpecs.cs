using System.Net;
using System.Net.Sockets;
using System.Text;
using Cast2md.Feeds.Fetching;
using Cast2md.Net;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.Feeds.Fetching;

public class FeedFetcherSpecs
{
    private const string Rss = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Fixture</title></channel></rss>";

    [Fact(Timeout = 15000)]
    public async Task I_can_fetch_a_feed_and_get_its_bytes_and_validators()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        var modified = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);
        server.Map("/feed.xml", FixtureResponse.Text(Rss, "application/rss+xml").WithETag("\"v1\"").WithLastModified(modified));
        var fetcher = new FeedFetcher();

        // Act
        var result = await fetcher.FetchAsync(server.Url("/feed.xml").AbsoluteUri, null, null);

        // Assert
        Assert.False(result.NotModified);
        Assert.Equal(Rss, Encoding.UTF8.GetString(result.Body!));
        Assert.Equal("\"v1\"", result.ETag);
        Assert.Equal("Tue, 04 Mar 2025 05:06:07 GMT", result.LastModified);
        Assert.Equal(server.Url("/feed.xml"), result.FinalUrl);
        var request = Assert.Single(server.Requests);
        Assert.Null(request.IfNoneMatch);
        Assert.Null(request.IfModifiedSince);
        Assert.StartsWith("cast2md/", request.UserAgent);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_fetch_an_unchanged_feed_with_its_etag_and_get_not_modified()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        server.Map("/feed.xml", FixtureResponse.Text(Rss, "application/rss+xml").WithETag("\"v1\""));
        var fetcher = new FeedFetcher();
        var first = await fetcher.FetchAsync(server.Url("/feed.xml").AbsoluteUri, null, null);

        // Act
        var second = await fetcher.FetchAsync(server.Url("/feed.xml").AbsoluteUri, first.ETag, first.LastModified);

        // Assert
        Assert.True(second.NotModified);
        Assert.Null(second.Body);
        Assert.Equal("\"v1\"", second.ETag);
        Assert.Equal("\"v1\"", server.Requests[^1].IfNoneMatch);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_fetch_an_unchanged_feed_with_its_last_modified_date_and_get_not_modified()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        server.Map("/feed.xml", FixtureResponse.Text(Rss).WithLastModified(new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero)));
        var fetcher = new FeedFetcher();
        var first = await fetcher.FetchAsync(server.Url("/feed.xml").AbsoluteUri, null, null);

        // Act
        var second = await fetcher.FetchAsync(server.Url("/feed.xml").AbsoluteUri, first.ETag, first.LastModified);

        // Assert
        Assert.Null(first.ETag);
        Assert.True(second.NotModified);
        Assert.Equal("Tue, 04 Mar 2025 05:06:07 GMT", server.Requests[^1].IfModifiedSince);
        Assert.Equal(first.LastModified, second.LastModified);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_fetch_a_changed_feed_with_an_old_etag_and_get_the_new_body_and_etag()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        server.Map("/feed.xml", FixtureResponse.Text(Rss + " ").WithETag("W/\"v2\""));
        var fetcher = new FeedFetcher();

        // Act
        var result = await fetcher.FetchAsync(server.Url("/feed.xml").AbsoluteUri, "\"v1\"", null);

        // Assert
        Assert.False(result.NotModified);
        Assert.Equal(Rss + " ", Encoding.UTF8.GetString(result.Body!));
        Assert.Equal("W/\"v2\"", result.ETag);
        Assert.Equal("\"v1\"", Assert.Single(server.Requests).IfNoneMatch);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_fetch_a_moved_feed_and_get_the_url_it_was_found_at()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        server.MapRedirect("/old.xml", "/new.xml", 301);
        server.MapText("/new.xml", Rss, "application/rss+xml");
        var fetcher = new FeedFetcher();

        // Act
        var result = await fetcher.FetchAsync(server.Url("/old.xml").AbsoluteUri, null, null);

        // Assert
        Assert.Equal(server.Url("/new.xml"), result.FinalUrl);
        Assert.Equal(Rss, Encoding.UTF8.GetString(result.Body!));
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_try_to_fetch_a_feed_in_a_redirect_loop_and_get_a_clear_error()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        server.MapRedirectLoop("/a.xml", "/b.xml");
        var fetcher = new FeedFetcher();
        var url = server.Url("/a.xml");

        // Act
        var ex = await Assert.ThrowsAsync<FeedFetchException>(() => fetcher.FetchAsync(url.AbsoluteUri, null, null));

        // Assert
        Assert.Equal(HttpFailureKind.Redirect, ex.Kind);
        Assert.Contains("redirect loop", ex.Message);
        Assert.Contains(url.AbsoluteUri, ex.Message);
        Assert.Equal(url, ex.Url);
        Assert.False(ex.IsPermanent);
        Assert.InRange(server.Requests.Count, 10, 12);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_try_to_fetch_a_feed_announced_larger_than_the_limit_and_get_refused()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        server.Map("/huge.xml", FixtureResponse.Generated(10_000_000, "application/rss+xml"));
        var fetcher = new FeedFetcher { MaxBytes = 1024 * 1024 };

        // Act
        var ex = await Assert.ThrowsAsync<FeedFetchException>(() => fetcher.FetchAsync(server.Url("/huge.xml").AbsoluteUri, null, null));

        // Assert
        Assert.Equal(HttpFailureKind.TooLarge, ex.Kind);
        Assert.Contains("larger than the 1 MB limit (the server announced 9.5 MB)", ex.Message);
        Assert.True(ex.IsPermanent);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_try_to_fetch_a_feed_that_streams_past_the_limit_without_a_length_and_get_refused()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        server.Map("/huge.xml", FixtureResponse.Generated(40L * 1024 * 1024, "application/rss+xml").WithoutContentLength());
        var fetcher = new FeedFetcher();

        // Act
        var ex = await Assert.ThrowsAsync<FeedFetchException>(() => fetcher.FetchAsync(server.Url("/huge.xml").AbsoluteUri, null, null));

        // Assert
        Assert.Equal(HttpFailureKind.TooLarge, ex.Kind);
        Assert.Contains("32 MB limit", ex.Message);
        Assert.Contains("kept sending", ex.Message);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_try_to_fetch_a_feed_from_a_silent_server_and_get_a_transient_timeout()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        server.Map("/slow.xml", FixtureResponse.Text(Rss).Unresponsive());
        var fetcher = new FeedFetcher { Timeout = TimeSpan.FromMilliseconds(300) };

        // Act
        var ex = await Assert.ThrowsAsync<FeedFetchException>(() => fetcher.FetchAsync(server.Url("/slow.xml").AbsoluteUri, null, null));

        // Assert
        Assert.Equal(HttpFailureKind.Timeout, ex.Kind);
        Assert.Contains("timed out after 0.3 s", ex.Message);
        Assert.Null(ex.StatusCode);
        Assert.False(ex.IsPermanent);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_try_to_fetch_a_feed_whose_body_stalls_and_get_a_transient_timeout()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        server.Map("/stall.xml", FixtureResponse.Text(Rss).Stalled());
        var fetcher = new FeedFetcher { Timeout = TimeSpan.FromMilliseconds(300) };

        // Act
        var ex = await Assert.ThrowsAsync<FeedFetchException>(() => fetcher.FetchAsync(server.Url("/stall.xml").AbsoluteUri, null, null));

        // Assert
        Assert.Equal(HttpFailureKind.Timeout, ex.Kind);
        Assert.False(ex.IsPermanent);
    }

    [Theory(Timeout = 15000)]
    [InlineData(404, true)]
    [InlineData(410, true)]
    [InlineData(500, false)]
    [InlineData(429, false)]
    public async Task I_can_try_to_fetch_a_failing_feed_and_get_its_status_and_whether_it_is_permanent(int status, bool permanent)
    {
        // Arrange
        await using var server = FixtureServer.Start();
        server.MapStatus("/feed.xml", status);
        var fetcher = new FeedFetcher();

        // Act
        var ex = await Assert.ThrowsAsync<FeedFetchException>(() => fetcher.FetchAsync(server.Url("/feed.xml").AbsoluteUri, null, null));

        // Assert
        Assert.Equal(status, ex.StatusCode);
        Assert.Equal(permanent, ex.IsPermanent);
        Assert.Contains($"HTTP {status}", ex.Message);
        Assert.Contains(server.Url("/feed.xml").AbsoluteUri, ex.Message);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_try_to_fetch_a_feed_from_an_unreachable_server_and_get_a_transient_error()
    {
        // Arrange
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var fetcher = new FeedFetcher();

        // Act
        var ex = await Assert.ThrowsAsync<FeedFetchException>(() => fetcher.FetchAsync($"http://127.0.0.1:{port}/feed.xml", null, null));

        // Assert
        Assert.Equal(HttpFailureKind.Connection, ex.Kind);
        Assert.False(ex.IsPermanent);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://example.test/feed.xml")]
    [InlineData("/relative/feed.xml")]
    public async Task I_can_try_to_fetch_a_feed_from_something_that_is_not_an_http_url_and_get_a_permanent_error(string url)
    {
        // Arrange
        var fetcher = new FeedFetcher();

        // Act
        var ex = await Assert.ThrowsAsync<FeedFetchException>(() => fetcher.FetchAsync(url, null, null));

        // Assert
        Assert.Equal(HttpFailureKind.InvalidUrl, ex.Kind);
        Assert.True(ex.IsPermanent);
        Assert.Contains(url, ex.Message);
    }

    [Fact(Timeout = 15000)]
    public async Task I_can_cancel_a_feed_fetch_and_get_a_cancellation_not_a_timeout()
    {
        // Arrange
        await using var server = FixtureServer.Start();
        server.Map("/slow.xml", FixtureResponse.Text(Rss).Unresponsive());
        var fetcher = new FeedFetcher();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        // Act
        var fetch = fetcher.FetchAsync(server.Url("/slow.xml").AbsoluteUri, null, null, cts.Token);

        // Assert
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fetch);
    }
}
