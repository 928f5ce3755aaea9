using Cast2md.Feeds;
using Cast2md.Library;
using Cast2md.Services;
using Cast2md.Settings;

namespace Cast2md.Import;

/// <summary>How an import runs.</summary>
/// <param name="StoragePath">The original's storage folder (its STORAGE_PATH), or null to bring no files but those its database names by a path valid here.</param>
/// <param name="Link">Hard-link the files instead of copying them (same file system only).</param>
/// <param name="DryRun">Read and compare, write nothing.</param>
public sealed record ImportOptions(string? StoragePath, bool Link, bool DryRun);

/// <summary>
/// Brings an original cast2md installation into this one: its feeds (custom titles too), episodes with their states,
/// its settings overrides, and the transcripts and audio of its storage folder, placed under our names and parsed
/// into timed segments. Partials: <c>.Episodes</c> (one episode's state and files), <c>.Files</c> (placing files).
/// </summary>
/// <remarks>
/// Idempotent and resumable: feeds are matched by normalised URL and episodes by feed and GUID, an episode takes the
/// original's state only while it is untouched here (still <c>new</c>), and a transcript or audio file only while it
/// has none; every episode's files are placed before the one transaction that records them. So a second run changes
/// nothing, and a run killed halfway is completed by the next. Where both sides hold something different (a
/// transcript, a custom title, a setting) ours is kept and the difference reported as a conflict.
/// </remarks>
public sealed partial class OriginalImporter
{
    private readonly Cast2mdCore? _core;
    private readonly ImportOptions _options;
    private readonly OriginalStorage _storage;
    private readonly Action<string> _progress;
    private readonly Action<string>? _plan;
    private readonly ImportSummary _summary;
    private readonly HashSet<string> _claimed = new(StringComparer.Ordinal);

    // Episodes whose files are placed, waiting for their transaction: a few hundred per commit (see Commit).
    private const int BatchEpisodes = 250;
    private const int BatchSegments = 50_000;
    private readonly List<(long Id, EpisodeImport Change, IReadOnlyList<Transcripts.TranscriptJsonSegment>? Segments)> _pending = [];
    private int _pendingSegments;

    /// <param name="core">This installation; null only in a dry run on a data folder that has no database yet.</param>
    /// <param name="progress">A line per feed as it is done (stderr).</param>
    /// <param name="plan">In a dry run, a line per feed saying what would be done (stdout).</param>
    public OriginalImporter(Cast2mdCore? core, ImportOptions options, Action<string> progress, Action<string>? plan = null)
    {
        if (core is null && !options.DryRun)
            throw new ArgumentNullException(nameof(core), "only a dry run works without a data folder");
        _core = core;
        _options = options;
        _storage = new OriginalStorage(options.StoragePath);
        _progress = progress;
        _plan = plan;
        _summary = new ImportSummary { DryRun = options.DryRun };
    }

    private bool Writing => !_options.DryRun;

    /// <summary>Imports <paramref name="original"/>; without one (storage folder only) finds files for the feeds and episodes already here.</summary>
    public async Task<ImportSummary> RunAsync(OriginalInstallation? original, CancellationToken cancellationToken)
    {
        try
        {
            if (original is not null)
            {
                ImportSettings(original.Settings);
                await ImportFeedsAsync(original, cancellationToken);
            }
            else
            {
                await MatchStorageAsync(cancellationToken);
            }
        }
        finally
        {
            // Also when interrupted: what is placed is recorded, so the next run has less to do.
            Commit();
        }
        if (_storage.Root is not null)
            _summary.UnmatchedTranscripts = _storage.AllTranscripts().Count(f => !_claimed.Contains(f));
        return _summary;
    }

    private async Task ImportFeedsAsync(OriginalInstallation original, CancellationToken cancellationToken)
    {
        var byKey = new Dictionary<string, Feed>(StringComparer.Ordinal);
        foreach (var feed in _core?.Feeds.List() ?? [])
            byKey.TryAdd(FeedUrl.Key(feed.Url), feed);
        var episodesByFeed = original.Episodes.GroupBy(e => e.FeedId).ToDictionary(g => g.Key, g => g.ToList());
        var seen = new Dictionary<string, OriginalFeed>(StringComparer.Ordinal);
        var number = 0;
        foreach (var feed in original.Feeds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            number++;
            var episodes = episodesByFeed.GetValueOrDefault(feed.Id) ?? [];
            _summary.FeedsFound++;
            _summary.EpisodesFound += episodes.Count;
            var url = FeedUrl.Normalize(feed.Url);
            if (url is null)
            {
                _summary.Conflicts.Add(
                    $"Feed {feed.Id} \"{Title(feed)}\" of the original has no http(s) URL ('{feed.Url}'); it and its {episodes.Count} episodes are not imported."
                );
                continue;
            }
            var key = FeedUrl.Key(url);
            var before = Snapshot();
            Feed? target;
            string what;
            if (seen.TryGetValue(key, out var first))
            {
                _summary.Conflicts.Add(
                    $"Feeds {first.Id} and {feed.Id} of the original are the same feed ({url}); their episodes are imported into one."
                );
                target = byKey.GetValueOrDefault(key);
                what = "merged into the feed above";
            }
            else if (byKey.TryGetValue(key, out var existing))
            {
                _summary.FeedsExisting++;
                target = AdoptCustomTitle(existing, feed);
                byKey[key] = target;
                what = $"here already as feed {existing.Id}";
            }
            else
            {
                _summary.FeedsCreated++;
                target = Writing ? Create(url, feed) : null;
                if (target is not null)
                    byKey[key] = target;
                what = "new";
            }
            seen.TryAdd(key, feed);

            await ImportEpisodesAsync(feed, target, episodes, cancellationToken);
            Commit();
            var done = Delta(before);
            var line =
                $"feed {number}/{original.Feeds.Count} \"{Title(feed)}\" ({what}): {episodes.Count} episodes ({done.Created} new), "
                + $"{done.Transcripts} transcripts and {done.Audio} audio files to bring, {done.Missing} missing";
            _progress(line);
            if (_options.DryRun)
                _plan?.Invoke("would import " + line);
        }
    }

    private Feed Create(string url, OriginalFeed feed)
    {
        var created = _core!.Feeds.Add(
            url,
            new FeedMetadata(string.IsNullOrWhiteSpace(feed.Title) ? url : feed.Title)
            {
                Description = feed.Description,
                ImageUrl = feed.ImageUrl,
                Author = feed.Author,
                Link = feed.Link,
                Categories = feed.Categories,
            }
        );
        if (!string.IsNullOrWhiteSpace(feed.CustomTitle))
            _core.Feeds.Rename(created.Id, feed.CustomTitle);
        return _core.Feeds.Get(created.Id)!;
    }

    /// <summary>A custom title of the original is taken when ours has none; a different one of ours is kept.</summary>
    private Feed AdoptCustomTitle(Feed existing, OriginalFeed feed)
    {
        var theirs = feed.CustomTitle?.Trim();
        if (string.IsNullOrEmpty(theirs) || theirs == existing.CustomTitle)
            return existing;
        if (existing.CustomTitle is not null)
        {
            _summary.Conflicts.Add($"Feed {existing.Id} is called \"{existing.CustomTitle}\" here and \"{theirs}\" in the original; kept ours.");
            return existing;
        }
        if (!Writing)
            return existing with { CustomTitle = theirs };
        _core!.Feeds.Rename(existing.Id, theirs);
        return _core.Feeds.Get(existing.Id)!;
    }

    /// <summary>Without the original's database: the transcripts and audio of the storage folder for the feeds and episodes already here.</summary>
    private async Task MatchStorageAsync(CancellationToken cancellationToken)
    {
        var feeds = _core?.Feeds.List() ?? [];
        var number = 0;
        foreach (var feed in feeds)
        {
            number++;
            var before = Snapshot();
            var episodes = _core!.Episodes.ByGuid(feed.Id).Values.OrderBy(e => e.Id).ToList();
            _summary.FeedsFound++;
            _summary.FeedsExisting++;
            _summary.EpisodesFound += episodes.Count;
            foreach (var episode in episodes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await ImportEpisodeAsync(feed.DisplayTitle, [feed.Title, feed.CustomTitle], null, episode, cancellationToken);
            }
            Commit();
            var done = Delta(before);
            var line =
                $"feed {number}/{feeds.Count} \"{feed.DisplayTitle}\": {episodes.Count} episodes, {done.Transcripts} transcripts and {done.Audio} audio files to bring";
            _progress(line);
            if (_options.DryRun)
                _plan?.Invoke("would import " + line);
        }
    }

    private void ImportSettings(IReadOnlyList<KeyValuePair<string, string>> settings)
    {
        foreach (var (key, value) in settings)
        {
            var definition = SettingDefinitions.Find(key);
            if (definition is null)
            {
                _summary.SettingsSkipped.Add($"{key}: not a setting of this cast2md.");
                continue;
            }
            if (definition.IsSecret || !definition.IsConfigurable)
            {
                _summary.SettingsSkipped.Add($"{definition.Key}: set in the environment or a .env file here, never in the database.");
                continue;
            }
            if (!SettingValidator.TryNormalize(definition, value, out var normalized, out var problem))
            {
                _summary.SettingsSkipped.Add($"{definition.Key}: '{value}' is not taken: {problem}");
                continue;
            }
            var ours = _core?.Settings.StoredOverride(definition.Key);
            if (ours == normalized)
                continue;
            if (ours is not null)
            {
                _summary.Conflicts.Add($"Setting {definition.Key} is '{ours}' here and '{normalized}' in the original; kept ours.");
                continue;
            }
            if (Writing)
                _core!.Settings.Update(new Dictionary<string, string> { [definition.Key] = normalized });
            _summary.SettingsImported++;
        }
    }

    private static string Title(OriginalFeed feed) => string.IsNullOrWhiteSpace(feed.CustomTitle) ? feed.Title : feed.CustomTitle;

    private (int Created, int Transcripts, int Audio, int Missing) Snapshot() =>
        (_summary.EpisodesCreated, _summary.TranscriptsImported, _summary.AudioImported, _summary.MissingFiles.Count);

    private (int Created, int Transcripts, int Audio, int Missing) Delta((int Created, int Transcripts, int Audio, int Missing) before) =>
        (
            _summary.EpisodesCreated - before.Created,
            _summary.TranscriptsImported - before.Transcripts,
            _summary.AudioImported - before.Audio,
            _summary.MissingFiles.Count - before.Missing
        );
}
