using System.IO.Compression;
using System.Text;
using Cast2md.Api;
using Cast2md.Cli.Output;
using Cast2md.Cli.Server.Guards;
using Cast2md.Feeds.Opml;
using Cast2md.Files;
using Cast2md.Json;
using Cast2md.Library;
using Cast2md.Services;
using Microsoft.AspNetCore.Mvc;

namespace Cast2md.Cli.Server.Endpoints;

/// <summary>/api/feeds: subscribe, list, rename, refresh, delete, export, at the original cast2md's paths.</summary>
internal static class FeedEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var feeds = app.MapServiceGroup("/api/feeds").ForAdmin();
        feeds.MapGet("", List);
        feeds.MapPost("", AddAsync);
        // An OPML file as podcast apps write it, not JSON; a few thousand subscriptions fit in far less than 4 MiB.
        feeds
            .MapPost("/import", ImportAsync)
            .BodyTypes("text/x-opml", "application/xml", "text/xml", "application/octet-stream")
            .BodyLimit(OpmlDocument.MaxBytes);
        feeds.MapGet("/export.opml", ExportOpml);
        feeds.MapGet("/{id:long}", Get);
        feeds.MapPatch("/{id:long}", Rename);
        feeds.MapDelete("/{id:long}", Delete);
        feeds.MapPost("/{id:long}/refresh", RefreshAsync);
        feeds.MapGet("/{id:long}/export", ExportAsync);
        feeds.MapGet("/{id:long}/episodes", Episodes);
    }

    private static IResult List([FromServices] ServerServices services) =>
        ApiResults.Json(new FeedListResponse(services.Feeds.List().Select(FeedResponse.From).ToList()), Cast2mdJsonContext.Default.FeedListResponse);

    /// <summary>
    /// Subscribes a feed (fetched, validated and its episodes stored inside the request, as the original): 201, 400 for
    /// anything that is not a reachable podcast feed, 409 when already subscribed.
    /// </summary>
    private static async Task<IResult> AddAsync(
        [FromBody] FeedCreateRequest? request,
        HttpResponse http,
        [FromServices] ServerServices services,
        CancellationToken cancellationToken
    )
    {
        var url = request?.Url?.Trim();
        if (string.IsNullOrEmpty(url))
            return ApiErrors.BadRequest("Give the feed's address: {\"url\": \"https://...\"}.");
        var added = await services.Core.FeedService.AddAsync(url, cancellationToken);
        var response = FeedResponse.From(WithCounts(services, added.Feed.Id) ?? added.Feed) with
        {
            Warnings = added.Warnings.Count > 0 ? added.Warnings : null,
        };
        http.Headers.Location = $"/api/feeds/{response.Id}";
        return ApiResults.Json(response, Cast2mdJsonContext.Default.FeedResponse, StatusCodes.Status201Created);
    }

    /// <summary>
    /// Subscribes every feed of an OPML file sent as the body (as podcast apps export it; any XML content type): 200
    /// with one result per feed — added, exists or failed with why — since one bad feed does not stop the others.
    /// </summary>
    private static async Task<IResult> ImportAsync(HttpRequest request, [FromServices] ServerServices services, CancellationToken cancellationToken)
    {
        if (request.ContentLength > OpmlDocument.MaxBytes)
            return ApiErrors.Detail(
                StatusCodes.Status413PayloadTooLarge,
                $"The OPML file is larger than {OpmlDocument.MaxBytes / (1024 * 1024)} MiB."
            );
        // Read within the limit whatever Content-Length said (a chunked body announces nothing).
        using var body = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (body.Length + read > OpmlDocument.MaxBytes)
                return ApiErrors.Detail(
                    StatusCodes.Status413PayloadTooLarge,
                    $"The OPML file is larger than {OpmlDocument.MaxBytes / (1024 * 1024)} MiB."
                );
            body.Write(buffer, 0, read);
        }

        body.Position = 0;
        IReadOnlyList<OpmlOutline> outlines;
        try
        {
            outlines = OpmlDocument.Read(body, cancellationToken);
        }
        catch (Feeds.FeedParseException ex)
        {
            return ApiErrors.BadRequest(ex.Message);
        }
        if (outlines.Count == 0)
            return ApiErrors.BadRequest("The OPML file lists no feeds (no <outline xmlUrl=\"...\">).");
        var items = await services.Core.FeedService.ImportOpmlAsync(outlines, cancellationToken: cancellationToken);
        return ApiResults.Json(OpmlImportReport.From(items), Cast2mdJsonContext.Default.OpmlImportResponse);
    }

    private static IResult ExportOpml([FromServices] ServerServices services) =>
        TypedResults.Text(services.Core.FeedService.ExportOpml(DateTimeOffset.UtcNow), "text/x-opml; charset=utf-8", System.Text.Encoding.UTF8);

    private static IResult Get(long id, [FromServices] ServerServices services) =>
        ApiResults.Json(FeedResponse.From(Require(services, id)), Cast2mdJsonContext.Default.FeedResponse);

    /// <summary>Sets or (with null or "") clears the custom title.</summary>
    private static IResult Rename(long id, [FromBody] FeedUpdateRequest request, [FromServices] ServerServices services)
    {
        services.Core.FeedService.Rename(id, request.CustomTitle);
        return ApiResults.Json(FeedResponse.From(Require(services, id)), Cast2mdJsonContext.Default.FeedResponse);
    }

    private static IResult Delete(long id, [FromServices] ServerServices services)
    {
        var feed = Require(services, id);
        var trash = services.Core.FeedService.Delete(id);
        return ApiResults.Message(
            trash is null
                ? $"Feed '{feed.DisplayTitle}' deleted."
                : $"Feed '{feed.DisplayTitle}' deleted; its files were moved to {Path.GetRelativePath(services.Core.DataDirectory, trash)}."
        );
    }

    private static async Task<IResult> RefreshAsync(
        long id,
        [FromQuery(Name = "auto_queue")] bool? autoQueue,
        [FromServices] ServerServices services,
        CancellationToken cancellationToken
    )
    {
        Require(services, id);
        var result = await services.Core.FeedService.RefreshAsync(id, autoQueue ?? true, cancellationToken);
        if (result.Error is { } error)
            return ApiErrors.Detail(StatusCodes.Status502BadGateway, $"Refreshing feed {id} failed: {error}");
        var message = result.NotModified
            ? "The feed has not changed since the last check."
            : $"Found {result.NewEpisodes} new episode{(result.NewEpisodes == 1 ? "" : "s")}, queued {result.QueuedEpisodes}.";
        return ApiResults.Json(
            new FeedRefreshResponse(result.NewEpisodes, result.QueuedEpisodes, message),
            Cast2mdJsonContext.Default.FeedRefreshResponse
        );
    }

    /// <summary>Every transcript of the feed in one format, zipped as "{title}_transcripts.zip".</summary>
    private static async Task<IResult> ExportAsync(
        long id,
        string? format,
        [FromServices] ServerServices services,
        CancellationToken cancellationToken
    )
    {
        var transcriptFormat = ApiResults.Format(format);
        var feed = Require(services, id);
        var (episodes, _) = services.Episodes.ListByFeed(id, limit: 10_000);
        using var buffer = new MemoryStream();
        var count = 0;
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var episode in episodes.Where(e => e.TranscriptPath is not null))
            {
                string content,
                    fileName;
                try
                {
                    (content, _, fileName) = await services.Core.Transcripts.GetAsync(episode.Id, transcriptFormat, cancellationToken);
                }
                catch (NotFoundException)
                {
                    continue; // the file went missing on disk: export the others
                }
                if (!names.Add(fileName))
                    fileName = $"{episode.Id}_{fileName}";
                names.Add(fileName);
                var entry = zip.CreateEntry(fileName, CompressionLevel.Optimal);
                entry.LastWriteTime = episode.UpdatedAt;
                await using var stream = entry.Open();
                await stream.WriteAsync(Encoding.UTF8.GetBytes(content), cancellationToken);
                count++;
            }
        }
        if (count == 0)
            return ApiErrors.NotFound($"Feed {id} has no transcripts to export yet.");
        return TypedResults.File(buffer.ToArray(), "application/zip", $"{FileNames.Sanitize(feed.DisplayTitle)}_transcripts.zip");
    }

    private static IResult Episodes(long id, int? limit, int? offset, [FromServices] ServerServices services)
    {
        Require(services, id);
        if (offset < 0)
            return ApiErrors.BadRequest("offset must be 0 or more.");
        var (episodes, total) = services.Episodes.ListByFeed(id, ApiResults.Limit(limit, 50), offset ?? 0);
        return ApiResults.Json(
            new EpisodeListResponse(episodes.Select(EpisodeResponse.From).ToList(), total),
            Cast2mdJsonContext.Default.EpisodeListResponse
        );
    }

    /// <summary>The feed with its episode and per-status counts (one grouped query).</summary>
    private static Feed? WithCounts(ServerServices services, long id) => services.Feeds.List().FirstOrDefault(f => f.Id == id);

    private static Feed Require(ServerServices services, long id) => WithCounts(services, id) ?? throw new NotFoundException($"Feed {id} not found.");
}
