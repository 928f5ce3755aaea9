using Cast2md.Net;

namespace Cast2md.Downloads;

/// <summary>
/// An audio download failed. <see cref="HttpFailureException.IsPermanent"/> is true for 401/403/404/410, a body that is
/// not audio and a file over the size limit (retrying cannot help; the .part is deleted); otherwise the .part is kept
/// and the next try resumes it.
/// </summary>
public sealed class AudioDownloadException(string message, Uri url, HttpFailureKind kind, int? statusCode = null, Exception? innerException = null)
    : HttpFailureException(message, url, kind, statusCode, innerException);
