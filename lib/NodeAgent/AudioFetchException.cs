using Cast2md.Errors;

namespace Cast2md.NodeAgent;

/// <summary>A job's audio could not be fetched. <see cref="IsPermanent"/>: the server says it is gone (404/410); <see cref="IsLost"/>: the lease is gone (403/409).</summary>
public sealed class AudioFetchException(
    string message,
    bool isPermanent = false,
    bool isLost = false,
    int? statusCode = null,
    Exception? innerException = null
) : Cast2mdException(message, innerException)
{
    public bool IsPermanent { get; } = isPermanent;
    public bool IsLost { get; } = isLost;
    public int? StatusCode { get; } = statusCode;
}
