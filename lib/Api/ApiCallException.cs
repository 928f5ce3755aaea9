using Cast2md.Errors;

namespace Cast2md.Api;

/// <summary>
/// A call to a cast2md server or node failed: no answer at all (<see cref="StatusCode"/> null: unreachable, refused, or
/// too slow), or an error status with the other side's own words in <see cref="Detail"/>. The node agent and the
/// monitors both see this one type, so both decide the same way whether trying again can help.
/// </summary>
public sealed class ApiCallException(string message, int? statusCode, string? detail = null, Exception? innerException = null)
    : Cast2mdException(message, innerException)
{
    public int? StatusCode { get; } = statusCode;

    /// <summary>The other side's <c>detail</c> (of its JSON error body), or a short plain-text body; null when it sent neither.</summary>
    public string? Detail { get; } = detail;

    /// <summary>No answer at all.</summary>
    public bool IsUnreachable => StatusCode is null;

    /// <summary>Trying again later can help: no answer, 5xx, 408 or 429. Anything else is a refusal that stays one.</summary>
    public bool IsTransient => StatusCode is null or >= 500 or 408 or 429;
}
