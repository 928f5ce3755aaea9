using Cast2md.Net;

namespace Cast2md.Feeds.Fetching;

/// <summary>A feed could not be fetched; <see cref="HttpFailureException.IsPermanent"/> says whether polling it again can help.</summary>
public sealed class FeedFetchException(string message, Uri url, HttpFailureKind kind, int? statusCode = null, Exception? innerException = null)
    : HttpFailureException(message, url, kind, statusCode, innerException);
