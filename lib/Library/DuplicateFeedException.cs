using Cast2md.Errors;

namespace Cast2md.Library;

/// <summary>The feed URL is already subscribed.</summary>
public sealed class DuplicateFeedException(string url, long existingFeedId, string? existingTitle = null, string? existingUrl = null)
    : Cast2mdException(
        existingUrl is not null && existingUrl != url
            ? $"The feed {url} is already subscribed: it is the same feed as feed {existingFeedId}{(existingTitle is null ? "" : $" \"{existingTitle}\"")} ({existingUrl})."
            : $"The feed {url} is already subscribed (feed {existingFeedId}{(existingTitle is null ? "" : $" \"{existingTitle}\"")})."
    )
{
    public long ExistingFeedId { get; } = existingFeedId;
}
