namespace Cast2md.Services;

public sealed partial class FeedService
{
    /// <summary>Fetches and validates the feed, subscribes it and stores its episodes (400 for anything that is not a podcast feed).</summary>
    public Task<FeedAddResult> AddAsync(string url, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException("arrives with the feed parser and fetcher");

    /// <summary>Polls one feed (conditional GET); new episodes are stored and, when <paramref name="autoQueue"/>, queued.</summary>
    public Task<FeedRefreshResult> RefreshAsync(long feedId, bool autoQueue = true, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException("arrives with the feed parser and fetcher");

    /// <summary>Polls every feed; a failing feed records its error and does not stop the others.</summary>
    public async Task<IReadOnlyList<FeedRefreshResult>> RefreshAllAsync(CancellationToken cancellationToken = default)
    {
        var results = new List<FeedRefreshResult>();
        foreach (var feed in core.Feeds.List())
        {
            try
            {
                results.Add(await RefreshAsync(feed.Id, autoQueue: true, cancellationToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                core.Feeds.RecordPollError(feed.Id, ex.Message);
                results.Add(new FeedRefreshResult(feed.Id, false, 0, 0, ex.Message));
            }
        }
        return results;
    }
}
