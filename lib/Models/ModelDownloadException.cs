namespace Cast2md.Models;

/// <summary>A model download failed (HTTP status, connection, timeout); <see cref="StatusCode"/> is null when no response came.</summary>
public sealed class ModelDownloadException(string message, Uri url, int? statusCode = null, Exception? innerException = null)
    : ModelException(message, innerException),
        Net.IHttpStatusFailure
{
    public Uri Url { get; } = url;
    public int? StatusCode { get; } = statusCode;
}
