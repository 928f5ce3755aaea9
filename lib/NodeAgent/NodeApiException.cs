using Cast2md.Errors;

namespace Cast2md.NodeAgent;

/// <summary>A call to the server failed: no answer (<see cref="StatusCode"/> null), or an error status with the server's detail.</summary>
public sealed class NodeApiException(string message, int? statusCode, string? detail = null, Exception? innerException = null)
    : Cast2mdException(message, innerException)
{
    public int? StatusCode { get; } = statusCode;

    /// <summary>The server's own words (<c>detail</c> of its error body), when it sent any.</summary>
    public string? Detail { get; } = detail;

    /// <summary>Trying again later can help: no answer, 5xx, 408 or 429.</summary>
    public bool IsTransient => StatusCode is null or >= 500 or 408 or 429;
}
