namespace Cast2md.Tui.Client;

/// <summary>A call to the server or node failed: unreachable (<see cref="StatusCode"/> null) or answered with an error.</summary>
public sealed class MonitorApiException(string message, int? statusCode = null, Exception? inner = null) : Exception(message, inner)
{
    public int? StatusCode { get; } = statusCode;

    public bool IsUnreachable => StatusCode is null;
}
