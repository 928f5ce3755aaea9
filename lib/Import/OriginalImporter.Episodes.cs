using Cast2md.Files;
using Cast2md.Library;
using Cast2md.Transcripts;

namespace Cast2md.Import;

public sealed partial class OriginalImporter
{
    private async Task ImportEpisodesAsync(OriginalFeed feed, Feed? target, List<OriginalEpisode> episodes, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, Episode> ours = target is null ? new Dictionary<string, Episode>() : _core!.Episodes.ByGuid(target.Id);
        var fresh = episodes.Where(e => !ours.ContainsKey(e.Guid)).DistinctBy(e => e.Guid, StringComparer.Ordinal).ToList();
        _summary.EpisodesCreated += fresh.Count;
        if (target is not null && fresh.Count > 0)
        {
            // Stored through the same path as a poll's new episodes (status new); their state follows below.
            _core!.Episodes.Upsert(target.Id, fresh.Select(Metadata));
            ours = _core.Episodes.ByGuid(target.Id);
        }
        var podcastTitle = target?.DisplayTitle ?? Title(feed);
        var freshGuids = fresh.Select(e => e.Guid).ToHashSet(StringComparer.Ordinal);
        var guids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var episode in episodes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!guids.Add(episode.Guid))
            {
                _summary.Conflicts.Add($"Episode {episode.Id} \"{episode.Title}\" has the GUID of another episode of the same feed; imported once.");
                continue;
            }
            await ImportEpisodeAsync(
                podcastTitle,
                [feed.Title, feed.CustomTitle],
                episode,
                ours.GetValueOrDefault(episode.Guid),
                cancellationToken,
                created: freshGuids.Contains(episode.Guid)
            );
        }
    }

    /// <summary>
    /// One episode: finds its files, decides its state and, unless this is a dry run, places the files and records
    /// all of it in one transaction. <paramref name="original"/> is null without the original's database;
    /// <paramref name="mine"/> is null only in a dry run for an episode that would be created.
    /// </summary>
    private async Task ImportEpisodeAsync(
        string podcastTitle,
        string?[] folderTitles,
        OriginalEpisode? original,
        Episode? mine,
        CancellationToken cancellationToken,
        bool created = false
    )
    {
        var title = original?.Title ?? mine!.Title;
        var published = original?.PublishedAt ?? mine?.PublishedAt?.UtcDateTime;
        var transcript = Claim(_storage.FindTranscript(original?.TranscriptPath, folderTitles, published, title), title);
        var audio = Claim(_storage.FindAudio(original?.AudioPath, folderTitles, published, title, original?.AudioUrl ?? mine?.AudioUrl), title);
        if (transcript is not null)
            _summary.TranscriptsFound++;
        else if (original is { TranscriptPath: { } wanted })
            _summary.MissingFiles.Add($"{wanted} (the transcript of \"{title}\")");
        else if (original is { Status: "completed" })
            _summary.MissingFiles.Add($"the transcript of \"{title}\" (completed in the original, no file found)");
        if (audio is not null)
            _summary.AudioFound++;
        else if (original is { AudioPath: { } wantedAudio })
            _summary.MissingFiles.Add($"{wantedAudio} (the audio of \"{title}\")");

        var bringTranscript = transcript is not null && mine?.TranscriptPath is null;
        if (transcript is not null && mine?.TranscriptPath is { } present && !SameContent(_core!.Layout.Resolve(present), transcript))
            _summary.Conflicts.Add($"Episode {mine.Id} \"{title}\" already has another transcript here; kept ours ({transcript} not imported).");
        var bringAudio = audio is not null && mine?.AudioPath is null;

        var current = mine?.Status ?? EpisodeStatus.New;
        var hasAudio = bringAudio || mine?.AudioPath is not null;
        var change = new EpisodeImport(current) { ErrorMessage = mine?.ErrorMessage, PermanentFailure = mine?.PermanentFailure ?? false };
        if (bringTranscript)
            change = new EpisodeImport(EpisodeStatus.Completed);
        else if (current == EpisodeStatus.New && original is not null && mine?.TranscriptPath is null)
            change = StateOf(original, hasAudio);
        if (!bringTranscript && bringAudio && change.Status is EpisodeStatus.New or EpisodeStatus.NeedsAudio)
            change = change with { Status = EpisodeStatus.AudioReady };

        var changed =
            bringTranscript
            || bringAudio
            || change.Status != current
            || (mine is not null && (change.ErrorMessage != mine.ErrorMessage || change.PermanentFailure != mine.PermanentFailure));
        if (bringTranscript)
            _summary.TranscriptsImported++;
        if (bringAudio)
            _summary.AudioImported++;
        if (!created)
        {
            if (changed)
                _summary.EpisodesUpdated++;
            else
                _summary.EpisodesUnchanged++;
        }
        if (!Writing || !changed || mine is null)
            return;

        var layout = _core!.Layout;
        IReadOnlyList<TranscriptJsonSegment>? segments = null;
        if (bringAudio)
        {
            var relative = layout.AudioRelativePath(podcastTitle, mine.PublishedAt, mine.Title, mine.Id, Path.GetExtension(audio!).TrimStart('.'));
            Place(audio!, layout.Resolve(relative));
            change = change with { AudioPath = relative };
        }
        if (bringTranscript)
        {
            var parsed = MarkdownTranscriptReader.Read(await File.ReadAllTextAsync(transcript!, cancellationToken));
            parsed = parsed with
            {
                Title = parsed.Title ?? mine.Title,
                Model = original?.TranscriptModel ?? parsed.Model,
                Source = original?.TranscriptSource ?? parsed.Source ?? "whisper",
            };
            var relative = layout.TranscriptRelativePath(podcastTitle, mine.PublishedAt, mine.Title, mine.Id, TranscriptFormat.Md);
            // The sidecar first, as a worker's result is placed: a Markdown transcript never exists without its segments.
            var document = TranscriptJsonDocument.From(parsed);
            await TranscriptWriter.WriteFileAsync(
                parsed,
                TranscriptFormat.Json,
                layout.Resolve(StorageLayout.SiblingTranscriptPath(relative, TranscriptFormat.Json)),
                cancellationToken: cancellationToken
            );
            // The original's Markdown itself is kept (copied or linked), not rewritten from the segments.
            Place(transcript!, layout.Resolve(relative));
            segments = document.Segments;
            change = change with
            {
                TranscriptPath = relative,
                TranscriptSource = parsed.Source,
                TranscriptModel = parsed.Model,
                TranscriptLanguage = parsed.Language,
            };
        }
        _pending.Add((mine.Id, change, segments));
        _pendingSegments += segments?.Count ?? 1;
        if (_pending.Count >= BatchEpisodes || _pendingSegments >= BatchSegments)
            Commit();
    }

    /// <summary>Records the episodes whose files are in place (see <see cref="EpisodeStore.ApplyImport"/>).</summary>
    private void Commit()
    {
        _core?.Episodes.ApplyImport(_pending);
        _pending.Clear();
        _pendingSegments = 0;
    }

    /// <summary>
    /// The original's state in ours. Its transient states (downloading, transcribing) had work running that is not
    /// imported, so they become what the files allow: audio here is ready for transcription, else audio is needed.
    /// A completed episode whose transcript was not found is in the same place.
    /// </summary>
    private static EpisodeImport StateOf(OriginalEpisode original, bool hasAudio)
    {
        var waiting = hasAudio ? EpisodeStatus.AudioReady : EpisodeStatus.NeedsAudio;
        return original.Status switch
        {
            "new" => new EpisodeImport(EpisodeStatus.New),
            "awaiting_transcript" => new EpisodeImport(EpisodeStatus.AwaitingTranscript),
            "failed" => new EpisodeImport(EpisodeStatus.Failed)
            {
                ErrorMessage = original.ErrorMessage,
                PermanentFailure = original.PermanentFailure,
            },
            _ => new EpisodeImport(waiting),
        };
    }

    /// <summary>A file of the storage folder goes to one episode only: the original gave same-day, same-title episodes one name.</summary>
    private string? Claim(string? file, string title)
    {
        if (file is null || _claimed.Add(file))
            return file;
        _summary.Conflicts.Add(
            $"{file} belongs to two episodes (same date and title, one file in the original); \"{title}\" is imported without it."
        );
        return null;
    }

    private static EpisodeMetadata Metadata(OriginalEpisode episode) =>
        new(episode.Guid, episode.Title)
        {
            Description = episode.Description,
            Link = episode.Link,
            Author = episode.Author,
            AudioUrl = episode.AudioUrl,
            DurationSeconds = episode.DurationSeconds,
            PublishedAt = episode.PublishedAt is { } published ? new DateTimeOffset(published, TimeSpan.Zero) : null,
            TranscriptUrl = episode.TranscriptUrl,
            TranscriptType = episode.TranscriptType,
        };
}
