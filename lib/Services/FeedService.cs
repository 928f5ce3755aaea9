using Cast2md.Files;
using Cast2md.Library;

namespace Cast2md.Services;

public sealed record FeedAddResult(Feed Feed, int NewEpisodes, int QueuedEpisodes)
{
    /// <summary>What was worked around while reading the feed (see <see cref="Feeds.ParsedFeed.Warnings"/>).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

public sealed record FeedRefreshResult(long FeedId, bool NotModified, int NewEpisodes, int QueuedEpisodes, string? Error = null)
{
    /// <summary>What was worked around while reading the feed (see <see cref="Feeds.ParsedFeed.Warnings"/>).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>
/// Subscribing, polling, renaming and deleting feeds. Partial <c>.Polling</c> fetches and parses (conditional GET)
/// and stores what is new; new episodes get a publisher-transcript job when the feed offers one.
/// </summary>
public sealed partial class FeedService(Cast2mdCore core)
{
    /// <summary>Sets the custom title (null clears it). Files already written stay where they are; new ones use the new name.</summary>
    public Feed Rename(long feedId, string? customTitle)
    {
        if (!core.Feeds.Rename(feedId, customTitle))
            throw new NotFoundException($"Feed {feedId} not found.");
        return core.Feeds.Get(feedId)!;
    }

    /// <summary>Moves the feed's audio and transcripts to the trash and deletes it; returns the trash folder, if anything was moved.</summary>
    public string? Delete(long feedId) => core.Outcomes.Exclusive(() => DeleteNow(feedId));

    private string? DeleteNow(long feedId)
    {
        var feed = core.Feeds.Get(feedId) ?? throw new NotFoundException($"Feed {feedId} not found.");
        var (episodes, _) = core.Episodes.ListByFeed(feedId, limit: 10_000);
        var files = new List<string>();
        foreach (var episode in episodes)
        {
            if (episode.AudioPath is not null)
                files.Add(episode.AudioPath);
            if (episode.TranscriptPath is not null)
                files.AddRange(Transcripts.TranscriptFormats.All.Select(f => StorageLayout.SiblingTranscriptPath(episode.TranscriptPath, f)));
        }
        var trash = files.Count > 0 ? core.Layout.MoveToTrash(feed.DisplayTitle, feedId, files, DateTimeOffset.UtcNow) : null;
        core.Feeds.Delete(feedId);
        return trash is not null && Directory.Exists(trash) ? trash : null;
    }
}
