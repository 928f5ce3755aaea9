namespace Cast2md.Net;

/// <summary>
/// A failure that knows the HTTP status it ended with (a model download's, for instance), so that
/// <see cref="HttpFailures.IsPermanent(Exception)"/> can judge it without knowing the type that threw it.
/// </summary>
public interface IHttpStatusFailure
{
    int? StatusCode { get; }
}
