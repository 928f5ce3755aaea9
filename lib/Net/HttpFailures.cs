using System.Net;
using System.Net.Http.Headers;

namespace Cast2md.Net;

/// <summary>
/// Which HTTP failures are permanent. Upstream meant 401/403/404/410 to stop retries but matched "HTTP 404" in httpx's
/// message, which never contains it; here the decision is made on the status code itself.
/// </summary>
public static class HttpFailures
{
    /// <summary>401, 403, 404 and 410: the resource is gone or refused to us, and asking again will not change that.</summary>
    public static bool IsPermanentStatus(int statusCode) => statusCode is 401 or 403 or 404 or 410;

    /// <summary>
    /// Permanent: a status from <see cref="IsPermanentStatus"/>, a body that is too large or of the wrong kind, an unusable URL.
    /// Transient: every other status (5xx, 408, 429, other 4xx), timeouts, connection errors, redirect loops, range mismatches.
    /// </summary>
    public static bool IsPermanent(HttpFailureKind kind, int? statusCode) =>
        kind switch
        {
            HttpFailureKind.Status => statusCode is { } code && IsPermanentStatus(code),
            HttpFailureKind.TooLarge or HttpFailureKind.UnexpectedContent or HttpFailureKind.InvalidUrl or HttpFailureKind.RefusedAddress => true,
            _ => false,
        };

    /// <summary>Whether <paramref name="exception"/> (from any of our HTTP clients, or HttpClient itself) is a permanent failure.</summary>
    public static bool IsPermanent(Exception exception) =>
        exception switch
        {
            HttpFailureException failure => failure.IsPermanent,
            IHttpStatusFailure { StatusCode: { } code } => IsPermanentStatus(code),
            HttpRequestException { StatusCode: { } status } => IsPermanentStatus((int)status),
            _ => false,
        };

    /// <summary>Whether <paramref name="value"/> is an absolute http(s) URL.</summary>
    internal static bool TryParseUrl(string? value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Uri? url)
    {
        if (Uri.TryCreate(value?.Trim(), UriKind.Absolute, out url) && url.Scheme is "http" or "https")
            return true;
        url = null;
        return false;
    }

    /// <summary>The failure for a response whose status is not a success: "Could not {action} {url}: HTTP 404 Not Found."</summary>
    internal static (string Message, HttpFailureKind Kind) DescribeStatus(string action, Uri url, HttpResponseMessage response, int maxRedirects)
    {
        var code = (int)response.StatusCode;
        if (code is >= 300 and < 400 && response.Headers.Location is { } location)
            return (
                $"Could not {action} {url}: it was still redirecting after {maxRedirects} redirects (a redirect loop?), "
                    + $"or redirected from https to http; the last answer was HTTP {code}, Location {location}.",
                HttpFailureKind.Redirect
            );
        var reason = string.IsNullOrWhiteSpace(response.ReasonPhrase) ? ((HttpStatusCode)code).ToString() : response.ReasonPhrase;
        return ($"Could not {action} {url}: HTTP {code} {reason}".TrimEnd(' ', '.') + ".", HttpFailureKind.Status);
    }

    /// <summary>The failure for an exception thrown while requesting or reading (never the caller's own cancellation).</summary>
    internal static (string Message, HttpFailureKind Kind, int? Status) DescribeException(
        string action,
        Uri url,
        Exception ex,
        TimeSpan timeout,
        bool idle
    )
    {
        var seconds = timeout.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
        return ex switch
        {
            OperationCanceledException => idle
                ? ($"Could not {action} {url}: timed out (no data for {seconds} s).", HttpFailureKind.Timeout, null)
                : ($"Could not {action} {url}: timed out after {seconds} s.", HttpFailureKind.Timeout, null),
            HttpRequestException when Inner<AddressRefusedException>(ex) is { } refused => (
                $"Could not {action} {url}: {refused.Message}",
                HttpFailureKind.RefusedAddress,
                null
            ),
            HttpRequestException { StatusCode: { } status } => (
                $"Could not {action} {url}: HTTP {(int)status} ({Reason(ex)}).",
                HttpFailureKind.Status,
                (int)status
            ),
            HttpRequestException => ($"Could not {action} {url}: {Reason(ex)}.", HttpFailureKind.Connection, null),
            _ => ($"Could not {action} {url}: the connection broke ({Reason(ex)}).", HttpFailureKind.Connection, null),
        };
    }

    /// <summary>"text/html" from a Content-Type header, or null.</summary>
    internal static string? MediaType(HttpResponseMessage response) => response.Content.Headers.ContentType?.MediaType;

    /// <summary>"500 MB", "1.5 MB", "900 KB", "12 bytes".</summary>
    internal static string FormatSize(long bytes) =>
        bytes switch
        {
            >= 1 << 20 => (bytes / (double)(1 << 20)).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " MB",
            >= 1 << 10 => (bytes / (double)(1 << 10)).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " KB",
            _ => $"{bytes} bytes",
        };

    // The runtime's own messages are resource keys in the trimmed binary ("net_http_ssl_connection_failed"), so the
    // reason is told in our words from the error codes, never from an exception's message.
    private static string Reason(Exception ex)
    {
        if (Inner<System.Net.Sockets.SocketException>(ex) is { } socket)
            return socket.SocketErrorCode switch
            {
                System.Net.Sockets.SocketError.ConnectionRefused => "the connection was refused: nothing listens at that address",
                System.Net.Sockets.SocketError.HostNotFound or System.Net.Sockets.SocketError.NoData or System.Net.Sockets.SocketError.TryAgain =>
                    "the host name could not be resolved",
                System.Net.Sockets.SocketError.TimedOut => "the connection timed out",
                System.Net.Sockets.SocketError.NetworkUnreachable or System.Net.Sockets.SocketError.HostUnreachable => "the host cannot be reached",
                System.Net.Sockets.SocketError.ConnectionReset or System.Net.Sockets.SocketError.ConnectionAborted =>
                    "the server reset the connection",
                var code => $"a network error ({code})",
            };
        if (Inner<System.Security.Authentication.AuthenticationException>(ex) is not null)
            return "the secure (TLS) connection failed: the certificate is not trusted or the server speaks no common protocol";
        return (ex as HttpRequestException ?? Inner<HttpRequestException>(ex))?.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => "the host name could not be resolved",
            HttpRequestError.ConnectionError => "the connection failed",
            HttpRequestError.SecureConnectionError => "the secure (TLS) connection failed",
            HttpRequestError.HttpProtocolError or HttpRequestError.InvalidResponse => "the server's answer is not valid HTTP",
            HttpRequestError.ResponseEnded => "the server closed the connection before its answer was complete",
            HttpRequestError.ConfigurationLimitExceeded => "the server's answer is over a limit (headers too large)",
            HttpRequestError.ProxyTunnelError => "the proxy refused the connection",
            null when ex is IOException => "the connection broke while the answer was read",
            _ => "the request failed",
        };
    }

    private static T? Inner<T>(Exception ex)
        where T : Exception
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
            if (e is T match)
                return match;
        return null;
    }

    /// <summary>A raw header value as the server sent it (ETag and Last-Modified are echoed back verbatim), or null.</summary>
    internal static string? RawHeader(HttpHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
