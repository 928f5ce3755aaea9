using Cast2md.Errors;

namespace Cast2md.Library;

/// <summary>The feed URL is already subscribed.</summary>
public sealed class DuplicateFeedException(string url, long existingFeedId)
    : Cast2mdException($"The feed {url} is already subscribed (feed {existingFeedId}).")
{
    public long ExistingFeedId { get; } = existingFeedId;
}
