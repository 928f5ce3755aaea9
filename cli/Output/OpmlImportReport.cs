using Cast2md.Api;
using Cast2md.Services;

namespace Cast2md.Cli.Output;

/// <summary>An OPML import's outcome in the shape the API and <c>feed import --json</c> share.</summary>
internal static class OpmlImportReport
{
    public static OpmlImportResponse From(IReadOnlyList<OpmlImportItem> items) =>
        new(
            items.Select(i => new OpmlImportResult(i.Url, i.Title, i.Status.ToString().ToLowerInvariant(), i.FeedId, i.Message)).ToList(),
            items.Count(i => i.Status == OpmlImportStatus.Added),
            items.Count(i => i.Status == OpmlImportStatus.Exists),
            items.Count(i => i.Status == OpmlImportStatus.Failed)
        );
}
