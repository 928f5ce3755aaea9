using Cast2md.Errors;

namespace Cast2md.Net;

/// <summary>
/// A request to another server failed. <see cref="IsPermanent"/> says whether trying again later can help:
/// see <see cref="HttpFailures.IsPermanent(HttpFailureKind, int?)"/> for the rule.
/// </summary>
public class HttpFailureException(string message, Uri url, HttpFailureKind kind, int? statusCode = null, Exception? innerException = null)
    : Cast2mdException(message, innerException)
{
    /// <summary>The URL that was requested (before redirects).</summary>
    public Uri Url { get; } = url;

    public HttpFailureKind Kind { get; } = kind;

    /// <summary>The HTTP status of the response, or null when no response came.</summary>
    public int? StatusCode { get; } = statusCode;

    /// <summary>True when retrying cannot help (gone, forbidden, not audio, too large); false for timeouts, 5xx, 429, dropped connections.</summary>
    public bool IsPermanent => HttpFailures.IsPermanent(Kind, StatusCode);
}
