using Cast2md.Errors;
using Cast2md.Feeds;
using Cast2md.Feeds.Fetching;
using Cast2md.Library;
using Cast2md.Queue;
using Cast2md.Settings;

namespace Cast2md.Services;

public sealed partial class FeedService
{
    /// <summary>
    /// Fetches and validates the feed (every page of a paged one), subscribes it and stores its episodes (400 for
    /// anything that is not a podcast feed, 409 when the same feed is already subscribed under any spelling of its URL).
    /// A feed without items yet is accepted; one whose items all lack audio is refused.
    /// </summary>
    public async Task<FeedAddResult> AddAsync(string url, CancellationToken cancellationToken = default)
    {
        url = FeedUrl.Normalize(url) ?? throw new InvalidRequestException($"'{url.Trim()}' is not an http(s) URL.");
        RefuseDuplicate(url);

        var (fetched, parsed) = await FetchAllPagesAsync(url, etag: null, lastModified: null, cancellationToken);
        if (parsed!.Episodes.Count == 0 && parsed.ItemCount > 0)
            throw new InvalidRequestException(
                $"The feed {url} has {parsed.ItemCount} item{(parsed.ItemCount == 1 ? "" : "s")}, none with an audio or video enclosure, so there is nothing to transcribe."
            );
        if (FeedUrl.Normalize(fetched.FinalUrl.AbsoluteUri) is { } final && final != url)
            RefuseDuplicate(final);

        var feed = core.Feeds.Add(url, Metadata(parsed));
        core.Feeds.RecordPoll(feed.Id, metadata: null, fetched.ETag, fetched.LastModified);
        var created = core.Episodes.Upsert(feed.Id, parsed.Episodes.Select(ToMetadata));
        var queued = QueueNewEpisodes(created);
        return new FeedAddResult(core.Feeds.Get(feed.Id)!, created.Count, queued) { Warnings = parsed.Warnings };
    }

    private void RefuseDuplicate(string url)
    {
        var key = FeedUrl.Key(url);
        if (core.Feeds.FindByUrl(url) is { } exact)
            throw new DuplicateFeedException(url, exact.Id, exact.DisplayTitle, exact.Url);
        if (core.Feeds.List().FirstOrDefault(f => FeedUrl.Key(f.Url) == key) is { } same)
            throw new DuplicateFeedException(url, same.Id, same.DisplayTitle, same.Url);
    }

    /// <summary>Polls one feed (conditional GET); new episodes are stored and, when <paramref name="autoQueue"/>, queued.</summary>
    public async Task<FeedRefreshResult> RefreshAsync(long feedId, bool autoQueue = true, CancellationToken cancellationToken = default)
    {
        var feed = core.Feeds.Get(feedId) ?? throw new NotFoundException($"Feed {feedId} not found.");
        try
        {
            var (fetched, parsed) = await FetchAllPagesAsync(feed.Url, feed.ETag, feed.LastModified, cancellationToken, core.Episodes.Guids(feed.Id));
            if (parsed is null)
            {
                core.Feeds.RecordPoll(feed.Id, metadata: null, fetched.ETag, fetched.LastModified);
                return new FeedRefreshResult(feed.Id, NotModified: true, 0, 0);
            }
            core.Feeds.RecordPoll(feed.Id, Metadata(parsed), fetched.ETag, fetched.LastModified);
            var created = core.Episodes.Upsert(feed.Id, parsed.Episodes.Select(ToMetadata));
            var queued = autoQueue ? QueueNewEpisodes(created) : 0;
            return new FeedRefreshResult(feed.Id, NotModified: false, created.Count, queued) { Warnings = parsed.Warnings };
        }
        catch (Cast2mdException ex)
        {
            core.Feeds.RecordPollError(feed.Id, ex.Message);
            throw;
        }
    }

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
                results.Add(new FeedRefreshResult(feed.Id, false, 0, 0, ex.Message));
            }
        }
        return results;
    }

    /// <summary>
    /// The first page of the feed as the publisher serves it now, or null when unchanged since the validators were stored.
    /// Errors are <see cref="InvalidRequestException"/>s whose message is one sentence of ours, naming the URL once.
    /// </summary>
    internal async Task<(FeedFetchResult Fetched, ParsedFeed? Parsed)> FetchAndParseAsync(
        string url,
        string? etag,
        string? lastModified,
        CancellationToken cancellationToken
    )
    {
        var maxBytes = core.Settings.GetInt(SettingDefinitions.MaxFeedMb) * 1024L * 1024;
        FeedFetchResult fetched;
        try
        {
            fetched = await new FeedFetcher(core.Http) { MaxBytes = maxBytes }.FetchAsync(url, etag, lastModified, cancellationToken);
        }
        catch (FeedFetchException ex)
        {
            throw new InvalidRequestException(ex.Message);
        }
        if (fetched.NotModified || fetched.Body is null)
            return (fetched, null);
        try
        {
            using var body = new MemoryStream(fetched.Body, writable: false);
            var options = new FeedParserOptions
            {
                MaxBytes = maxBytes,
                BaseUri = fetched.FinalUrl,
                Charset = fetched.Charset,
            };
            return (fetched, FeedParser.Parse(body, options, cancellationToken));
        }
        catch (FeedParseException ex)
        {
            throw new InvalidRequestException($"{url} cannot be used as a podcast feed. {ex.Message}");
        }
    }

    /// <summary>
    /// The transcript-first rule: an episode whose feed links a publisher transcript gets a job to fetch it;
    /// the others need audio, which is transcribed on request — or at once with AUTO_TRANSCRIBE=true.
    /// </summary>
    /// <remarks>
    /// The original sent an episode without a transcript link to needs_audio only when it was older than
    /// TRANSCRIPT_UNAVAILABLE_AGE_DAYS; a younger one waited, because its second provider (Pocket Casts' generated
    /// transcripts) might still produce one. We have no second provider, so nothing can appear for an episode whose
    /// feed links no transcript: young or old, it needs audio at once. (A feed that adds the link later is handled by
    /// the poll refreshing transcript_url; "process" then fetches it.) TRANSCRIPT_UNAVAILABLE_AGE_DAYS therefore has no
    /// effect at discovery; the waiting for a linked transcript that is not there yet is TRANSCRIPT_RETRY_DAYS
    /// (the processing loop's <c>TranscriptRetryScheduler</c>).
    /// </remarks>
    private int QueueNewEpisodes(IReadOnlyList<long> episodeIds)
    {
        var autoTranscribe = core.Settings.GetBool(SettingDefinitions.AutoTranscribe);
        var queued = 0;
        foreach (var id in episodeIds)
        {
            var episode = core.Episodes.Get(id);
            if (episode is null)
                continue;
            JobType? type =
                episode.TranscriptUrl is not null ? JobType.TranscriptDownload
                : autoTranscribe && episode.AudioUrl is not null ? JobType.Download
                : null;
            if (type is null)
            {
                core.Episodes.SetStatus(id, EpisodeStatus.NeedsAudio);
                continue;
            }
            if (core.Jobs.Enqueue(id, type.Value, QueueService.AutomaticPriority, actor: "discovery").Created)
                queued++;
        }
        if (queued > 0)
            core.Signal.Notify();
        return queued;
    }

    internal static EpisodeMetadata ToMetadata(ParsedEpisode e) =>
        new(e.Guid, e.Title)
        {
            Description = e.Description,
            Link = e.Link,
            Author = e.Author,
            AudioUrl = e.AudioUrl,
            AudioType = e.AudioType,
            AudioLength = e.AudioLength,
            DurationSeconds = e.DurationSeconds,
            PublishedAt = e.PublishedAt,
            TranscriptUrl = e.PreferredTranscript?.Url,
            TranscriptType = e.PreferredTranscript?.Type,
            TranscriptLanguage = e.PreferredTranscript?.Language,
            ChaptersUrl = e.ChaptersUrl,
        };

    private static FeedMetadata Metadata(ParsedFeed feed) =>
        new(feed.Title)
        {
            Description = feed.Description,
            ImageUrl = feed.ImageUrl,
            Author = feed.Author,
            Link = feed.Link,
            Categories = feed.Categories,
        };
}
