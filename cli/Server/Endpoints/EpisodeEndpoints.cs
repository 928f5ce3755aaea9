using System.Globalization;
using System.Text;
using Cast2md.Api;
using Cast2md.Cli.Server.Guards;
using Cast2md.Json;
using Cast2md.Library;
using Cast2md.Queue;
using Cast2md.Services;
using Microsoft.AspNetCore.Mvc;

namespace Cast2md.Cli.Server.Endpoints;

/// <summary>/api/episodes, at the original cast2md's paths. Download and transcribe queue a job and answer 202: the original downloaded and transcribed inside the request, which held a connection for the length of an episode.</summary>
internal static class EpisodeEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var episodes = app.MapServiceGroup("/api/episodes").ForAdmin();
        episodes.MapGet("/recent", Recent);
        episodes.MapGet("/status/{status}", ByStatus);
        episodes.MapGet("/{id:long}", Get);
        episodes.MapGet("/{id:long}/transcript", TranscriptAsync);
        episodes.MapGet("/{id:long}/transcript/section", SectionAsync);
        episodes.MapDelete("/{id:long}/audio", DeleteAudio);
        episodes.MapPost("/{id:long}/download", Download);
        episodes.MapPost("/{id:long}/transcribe", Transcribe);
    }

    private static IResult Get(long id, [FromServices] ServerServices services) =>
        ApiResults.Json(EpisodeResponse.From(Require(services, id)), Cast2mdJsonContext.Default.EpisodeResponse);

    /// <summary>Episodes published in the last <paramref name="days"/> days, across feeds, newest first.</summary>
    private static IResult Recent(int? days, int? limit, [FromServices] ServerServices services)
    {
        var window = days ?? 7;
        if (window is < 1 or > 3650)
            return ApiErrors.BadRequest("days must be between 1 and 3650.");
        var titles = services.Feeds.List().ToDictionary(f => f.Id, f => f.DisplayTitle);
        var recent = services
            .Episodes.Recent(TimeSpan.FromDays(window), ApiResults.Limit(limit, 50))
            .Select(e => new RecentEpisode(
                e.Id,
                e.FeedId,
                titles.GetValueOrDefault(e.FeedId, ""),
                e.Title,
                Cut(e.Description, 500),
                ApiTime.Utc(e.PublishedAt),
                e.Status.ToName(),
                e.TranscriptPath is not null
            ))
            .ToList();
        return ApiResults.Json(new RecentEpisodesResponse(recent, recent.Count, window), Cast2mdJsonContext.Default.RecentEpisodesResponse);
    }

    /// <summary>
    /// Episodes in one state. <paramref name="since"/> is a strict updated-after watermark (ISO-8601; without an offset
    /// it is read as UTC); <paramref name="order"/> is created_asc (default), updated_asc or updated_desc.
    /// </summary>
    private static IResult ByStatus(
        string status,
        int? limit,
        string? since,
        [FromQuery(Name = "feed_id")] long? feedId,
        string? order,
        [FromServices] ServerServices services
    )
    {
        if (!EpisodeStatuses.TryParse(status, out var episodeStatus))
            return ApiErrors.BadRequest(
                $"Unknown status '{status}': use one of {string.Join(", ", Enum.GetValues<EpisodeStatus>().Select(s => s.ToName()))}."
            );
        DateTimeOffset? watermark = null;
        if (!string.IsNullOrWhiteSpace(since))
        {
            if (
                !DateTimeOffset.TryParse(
                    since,
                    CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                    out var parsed
                )
            )
                return ApiErrors.BadRequest($"since must be an ISO-8601 time, not '{since}'.");
            watermark = parsed;
        }
        var take = ApiResults.Limit(limit, 100);
        IReadOnlyList<Episode> episodes = (order ?? "created_asc") switch
        {
            "created_asc" => services
                .Episodes.ListByStatus(episodeStatus, feedId, watermark, limit: 10_000)
                .OrderBy(e => e.CreatedAt)
                .ThenBy(e => e.Id)
                .Take(take)
                .ToList(),
            "updated_asc" => services.Episodes.ListByStatus(episodeStatus, feedId, watermark, newestFirst: false, limit: take),
            "updated_desc" => services.Episodes.ListByStatus(episodeStatus, feedId, watermark, newestFirst: true, limit: take),
            _ => throw new InvalidRequestException($"Unknown order '{order}': use created_asc, updated_asc or updated_desc."),
        };
        return ApiResults.Json(
            new EpisodeListResponse(episodes.Select(EpisodeResponse.From).ToList(), episodes.Count),
            Cast2mdJsonContext.Default.EpisodeListResponse
        );
    }

    /// <summary>The transcript as an attachment: md, txt, srt, vtt or json, each with its MIME type.</summary>
    private static async Task<IResult> TranscriptAsync(
        long id,
        string? format,
        [FromServices] ServerServices services,
        CancellationToken cancellationToken
    )
    {
        var (content, contentType, fileName) = await services.Core.Transcripts.GetAsync(id, ApiResults.Format(format), cancellationToken);
        return TypedResults.File(Encoding.UTF8.GetBytes(content), contentType, fileName);
    }

    /// <summary>
    /// <paramref name="duration"/> seconds (default 300) of the transcript from <paramref name="startTime"/> on: the segments
    /// starting in that window, read from the JSON sidecar (the original read its search index), as <c>[MM:SS] text</c> lines.
    /// </summary>
    private static async Task<IResult> SectionAsync(
        long id,
        [FromQuery(Name = "start_time")] double? startTime,
        double? duration,
        [FromServices] ServerServices services,
        CancellationToken cancellationToken
    )
    {
        if (startTime is not { } start || start < 0 || double.IsNaN(start))
            return ApiErrors.BadRequest("Give start_time in seconds (0 or more), e.g. ?start_time=600&duration=300.");
        var length = duration ?? 300;
        if (length is <= 0 or > 86_400 || double.IsNaN(length))
            return ApiErrors.BadRequest("duration must be between 0 and 86400 seconds.");
        var (episode, text) = await services.Core.Transcripts.SectionAsync(id, start, length, cancellationToken);
        var end = start + length;
        var feed = services.Feeds.Get(episode.FeedId);
        var response = new TranscriptSectionResponse(
            episode.Id,
            episode.Title,
            feed?.DisplayTitle ?? "",
            ApiTime.Utc(episode.PublishedAt),
            $"{start.ToString("0.###", CultureInfo.InvariantCulture)}s - {end.ToString("0.###", CultureInfo.InvariantCulture)}s",
            text
        );
        return ApiResults.Json(response, Cast2mdJsonContext.Default.TranscriptSectionResponse);
    }

    /// <summary>Frees the disk space of a transcribed episode; refused (400) while it has no transcript.</summary>
    private static IResult DeleteAudio(long id, [FromServices] ServerServices services)
    {
        var episode = Require(services, id);
        if (episode.TranscriptPath is null)
            return ApiErrors.BadRequest($"Episode {id} has no transcript yet: its audio is kept.");
        if (episode.AudioPath is null)
            return ApiErrors.NotFound($"Episode {id} has no audio file.");
        var path = services.Core.Layout.Resolve(episode.AudioPath);
        File.Delete(path);
        services.Episodes.ClearAudio(id);
        return ApiResults.Message($"Deleted the audio of episode {id} ({episode.AudioPath}).");
    }

    /// <summary>The original downloaded and transcribed inside the request; here the job is queued (202): download, then transcription.</summary>
    private static IResult Download(long id, [FromServices] ServerServices services)
    {
        var job = services.Core.Queue.Process(id);
        return ApiResults.Queued($"Queued {job.Type.ToName()} job {job.Id} for episode {id}.", job.Id, StatusCodes.Status202Accepted);
    }

    /// <summary>Queues transcription of downloaded audio (202); 400 while the audio is not there.</summary>
    private static IResult Transcribe(long id, [FromServices] ServerServices services)
    {
        var job = services.Core.Queue.QueueTranscribe(id);
        return ApiResults.Queued($"Queued transcribe job {job.Id} for episode {id}.", job.Id, StatusCodes.Status202Accepted);
    }

    private static Episode Require(ServerServices services, long id) =>
        services.Episodes.Get(id) ?? throw new NotFoundException($"Episode {id} not found.");

    private static string? Cut(string? text, int max) => text is null || text.Length <= max ? text : text[..max];
}
