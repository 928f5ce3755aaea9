using System.Net;
using Cast2md.Models;
using Cast2md.Net;
using Xunit;

namespace Cast2md.Tests.Net;

// Upstream meant 401/403/404/410 to be permanent but its check never matched.
public class HttpFailureClassificationSpecs
{
    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(410)]
    public void I_can_classify_a_gone_or_refused_status_as_permanent(int status)
    {
        // Arrange
        var failure = new HttpFailureException("x", new Uri("http://example.test/a"), HttpFailureKind.Status, status);

        // Act
        var permanent = failure.IsPermanent;

        // Assert
        Assert.True(permanent);
        Assert.True(HttpFailures.IsPermanentStatus(status));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    [InlineData(408)]
    [InlineData(429)]
    public void I_can_classify_a_server_error_timeout_or_throttling_status_as_transient(int status)
    {
        // Arrange
        var failure = new HttpFailureException("x", new Uri("http://example.test/a"), HttpFailureKind.Status, status);

        // Act
        var permanent = failure.IsPermanent;

        // Assert
        Assert.False(permanent);
        Assert.False(HttpFailures.IsPermanentStatus(status));
    }

    [Theory]
    [InlineData(HttpFailureKind.Timeout, false)]
    [InlineData(HttpFailureKind.Connection, false)]
    [InlineData(HttpFailureKind.Redirect, false)]
    [InlineData(HttpFailureKind.RangeMismatch, false)]
    [InlineData(HttpFailureKind.Storage, false)]
    [InlineData(HttpFailureKind.TooLarge, true)]
    [InlineData(HttpFailureKind.UnexpectedContent, true)]
    [InlineData(HttpFailureKind.InvalidUrl, true)]
    public void I_can_classify_a_failure_without_an_error_status_by_its_kind(HttpFailureKind kind, bool expected)
    {
        // Arrange
        var failure = new HttpFailureException("x", new Uri("http://example.test/a"), kind, statusCode: null);

        // Act
        var permanent = failure.IsPermanent;

        // Assert
        Assert.Equal(expected, permanent);
    }

    [Fact]
    public void I_can_classify_exceptions_from_other_clients_by_their_status()
    {
        // Arrange
        var gone = new HttpRequestException("Client error '410 Gone' for url …", null, HttpStatusCode.Gone);
        var busy = new HttpRequestException("Server error '503'", null, HttpStatusCode.ServiceUnavailable);
        var refused = new HttpRequestException("Connection refused");
        var missingModel = new ModelDownloadException("Could not download …: HTTP 404 Not Found.", new Uri("http://example.test/m.bin"), 404);

        // Act
        var results = new[] { gone, busy, refused, (Exception)missingModel }.Select(HttpFailures.IsPermanent).ToArray();

        // Assert
        Assert.Equal([true, false, false, true], results);
    }
}
