using Cast2md.Errors;
using Cast2md.Feeds.Opml;
using Cast2md.Library;

namespace Cast2md.Services;

/// <summary>How one feed of an OPML import ended: added, already there, or failed (with why).</summary>
public enum OpmlImportStatus
{
    Added,
    Exists,
    Failed,
}

public sealed record OpmlImportItem(string Url, string? Title, OpmlImportStatus Status, long? FeedId, string? Message);

public sealed partial class FeedService
{
    /// <summary>
    /// Subscribes every feed of an OPML list, one after the other; a feed that fails (unreachable, not a feed) is
    /// reported and the others go on. <paramref name="progress"/> hears of each feed as it ends. Cancellation stops
    /// between feeds and inside the one being fetched.
    /// </summary>
    public async Task<IReadOnlyList<OpmlImportItem>> ImportOpmlAsync(
        IReadOnlyList<OpmlOutline> outlines,
        IProgress<OpmlImportItem>? progress = null,
        CancellationToken cancellationToken = default
    )
    {
        var results = new List<OpmlImportItem>(outlines.Count);
        foreach (var outline in outlines)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var added = await AddAsync(outline.XmlUrl, cancellationToken);
                results.Add(
                    new OpmlImportItem(
                        outline.XmlUrl,
                        added.Feed.DisplayTitle,
                        OpmlImportStatus.Added,
                        added.Feed.Id,
                        $"{added.NewEpisodes} episode{(added.NewEpisodes == 1 ? "" : "s")}"
                    )
                );
            }
            catch (DuplicateFeedException ex)
            {
                results.Add(new OpmlImportItem(outline.XmlUrl, outline.Title, OpmlImportStatus.Exists, ex.ExistingFeedId, ex.Message));
            }
            catch (Cast2mdException ex)
            {
                results.Add(new OpmlImportItem(outline.XmlUrl, outline.Title, OpmlImportStatus.Failed, null, ex.Message));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                results.Add(
                    new OpmlImportItem(
                        outline.XmlUrl,
                        outline.Title,
                        OpmlImportStatus.Failed,
                        null,
                        $"The feed could not be added because of an unexpected error ({ex.GetType().Name})."
                    )
                );
            }
            progress?.Report(results[^1]);
        }

        return results;
    }

    /// <summary>Every subscription as an OPML 2.0 document (the custom title where one is set).</summary>
    public string ExportOpml(DateTimeOffset now) =>
        OpmlDocument.Write("cast2md subscriptions", core.Feeds.List().Select(f => new OpmlOutline(f.Url, f.DisplayTitle, f.Link)), now);
}
