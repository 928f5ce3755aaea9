using Cast2md.Errors;

namespace Cast2md.Feeds;

/// <summary>The document is not a usable feed: malformed XML, a DTD, too large, or not RSS/Atom at all.</summary>
public class FeedParseException(string message, Exception? innerException = null) : Cast2mdException(message, innerException)
{
    /// <summary>1-based line of the error in the document, when known.</summary>
    public int? LineNumber { get; init; }

    /// <summary>1-based position within <see cref="LineNumber"/>, when known.</summary>
    public int? LinePosition { get; init; }
}
