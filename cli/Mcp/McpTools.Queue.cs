using Cast2md.Api;
using Cast2md.Json;
using Cast2md.Queue;
using ModelContextProtocol.Protocol;

namespace Cast2md.Cli.Mcp;

internal sealed partial class McpTools
{
    /// <summary>As POST /api/episodes/{id}/download: the episode's next step (publisher transcript, download, then transcription).</summary>
    private CallToolResult QueueEpisode(McpArguments args)
    {
        var id = args.RequiredLong("episode_id");
        var job = core.Queue.Process(id);
        return Json(
            new QueueJobResponse($"Queued {job.Type.ToName()} job {job.Id} for episode {id}.", job.Id),
            Cast2mdJsonContext.Default.QueueJobResponse
        );
    }

    private CallToolResult QueueStatus()
    {
        var lines = core
            .Queue.Overview(queuedLimit: 10)
            .Select(o =>
                $"{o.Type.ToName()}: {o.Counts.Queued} queued, {o.Counts.Running} running, {o.Counts.Completed} completed, {o.Counts.Failed} failed"
                + (
                    o.Running.Count > 0
                        ? $"; running: {string.Join("; ", o.Running.Select(j => $"{j.EpisodeTitle} (episode {j.Job.EpisodeId})"))}"
                        : ""
                )
            );
        return Text(string.Join('\n', lines));
    }

    private async Task<CallToolResult> AddFeedAsync(McpArguments args, CancellationToken cancellationToken)
    {
        var added = await core.FeedService.AddAsync(args.RequiredString("url"), cancellationToken);
        var message =
            $"Subscribed feed {added.Feed.Id} '{added.Feed.DisplayTitle}': {added.NewEpisodes} episodes, {added.QueuedEpisodes} queued."
            + string.Concat(added.Warnings.Select(w => $"\nwarning: {w}"));
        return Text(message);
    }

    private async Task<CallToolResult> RefreshFeedAsync(McpArguments args, CancellationToken cancellationToken)
    {
        var id = args.RequiredLong("feed_id");
        if (core.Feeds.Get(id) is null)
            return Error($"Feed {id} not found.");
        var result = await core.FeedService.RefreshAsync(id, cancellationToken: cancellationToken);
        if (result.Error is not null)
            return Error($"Refreshing feed {id} failed: {result.Error}");
        var message = result.NotModified
            ? $"Feed {id} has not changed."
            : $"Feed {id}: {result.NewEpisodes} new episodes, {result.QueuedEpisodes} queued.";
        return Json(new FeedRefreshResponse(result.NewEpisodes, result.QueuedEpisodes, message), Cast2mdJsonContext.Default.FeedRefreshResponse);
    }
}
