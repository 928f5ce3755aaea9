namespace Cast2md.Net;

/// <summary>Why an HTTP request did not produce what was asked for.</summary>
public enum HttpFailureKind
{
    /// <summary>The server answered with an error status (see <see cref="HttpFailureException.StatusCode"/>).</summary>
    Status,

    /// <summary>No response (or no bytes) within the time allowed.</summary>
    Timeout,

    /// <summary>The connection could not be made or broke (DNS, refused, reset, closed mid-body).</summary>
    Connection,

    /// <summary>More redirects than allowed (a redirect loop), or a redirect that may not be followed (https → http).</summary>
    Redirect,

    /// <summary>The body is larger than the configured limit.</summary>
    TooLarge,

    /// <summary>The body is not what was asked for (an HTML page instead of audio).</summary>
    UnexpectedContent,

    /// <summary>The URL is not an absolute http(s) URL.</summary>
    InvalidUrl,

    /// <summary>The URL's host (or a redirect's) is an address the <see cref="AddressPolicy"/> never connects to.</summary>
    RefusedAddress,

    /// <summary>The server's byte ranges did not fit the partial download, again and again.</summary>
    RangeMismatch,

    /// <summary>The response arrived but could not be stored locally (disk full, permissions, file in use).</summary>
    Storage,
}
