using Cast2md.Api;
using Cast2md.Cli.Infrastructure;
using Cast2md.Cli.Output;
using Cast2md.Json;
using Cast2md.Library;
using Cast2md.Services;
using Cast2md.Transcripts;
using ConsoleAppFramework;

namespace Cast2md.Cli.Commands;

/// <summary>cast2md episode list|show|transcript: the episodes of the subscribed feeds.</summary>
[RegisterCommands("episode")]
internal sealed class EpisodeCommands
{
    /// <summary>List a feed's episodes, newest first.</summary>
    /// <param name="feedId">The feed.</param>
    /// <param name="status">-s, Only episodes in this state: new, awaiting_transcript, needs_audio, downloading, audio_ready, transcribing, completed, failed.</param>
    /// <param name="limit">-n, How many episodes to show.</param>
    /// <param name="offset">Skip this many (newest) episodes first.</param>
    /// <param name="json">Print the result as one JSON document on stdout.</param>
    [Command("list")]
    public int List([Argument] long feedId, string? status = null, int limit = 20, int offset = 0, bool json = false)
    {
        if (limit < 1)
            throw new UsageException("--limit must be at least 1.");
        if (offset < 0)
            throw new UsageException("--offset must not be negative.");
        EpisodeStatus? wanted =
            status is null ? null
            : EpisodeStatuses.TryParse(status.Trim().ToLowerInvariant(), out var parsed) ? parsed
            : throw new UsageException(
                $"Unknown --status '{status}': use {string.Join(", ", Enum.GetValues<EpisodeStatus>().Select(s => s.ToName()))}."
            );
        var core = GlobalOptions.OpenCore();
        FeedCommands.RequireFeed(core, feedId);

        IReadOnlyList<Episode> episodes;
        int total;
        if (wanted is { } s)
        {
            // Newest first, as the unfiltered list; the store orders by last change, so sort here.
            var all = core
                .Episodes.ListByStatus(s, feedId, limit: 10_000)
                .OrderByDescending(e => e.PublishedAt ?? DateTimeOffset.MinValue)
                .ThenByDescending(e => e.Id)
                .ToList();
            total = all.Count;
            episodes = all.Skip(offset).Take(limit).ToList();
        }
        else
        {
            (episodes, total) = core.Episodes.ListByFeed(feedId, limit, offset);
        }

        if (json)
        {
            JsonOutput.Write(new CliEpisodeList(episodes.Select(CliDto.Episode).ToList(), total), Cast2mdJsonContext.Default.CliEpisodeList);
            return ExitCodes.Ok;
        }
        if (episodes.Count == 0)
        {
            Log.Info(total == 0 ? "no episodes" : $"no episodes past the first {offset}");
            return ExitCodes.Ok;
        }
        EpisodeTable(episodes).Write();
        if (total > offset + episodes.Count)
            Log.Info($"showing {offset + 1}-{offset + episodes.Count} of {total}; see more with --limit/--offset");
        return ExitCodes.Ok;
    }

    /// <summary>Show an episode, where its files are, and its jobs.</summary>
    /// <param name="episodeId">The episode.</param>
    /// <param name="json">Print the result as one JSON document on stdout.</param>
    [Command("show")]
    public int Show([Argument] long episodeId, bool json = false)
    {
        var core = GlobalOptions.OpenCore();
        var episode = core.Episodes.Get(episodeId) ?? throw new NotFoundException($"Episode {episodeId} not found.");
        var jobs = core.Jobs.List(episodeId: episodeId, limit: 100).OrderBy(j => j.Id).ToList();
        if (json)
        {
            JsonOutput.Write(
                new CliEpisodeDetail(CliDto.Episode(episode), jobs.Select(j => CliDto.Job(j)).ToList()),
                Cast2mdJsonContext.Default.CliEpisodeDetail
            );
            return ExitCodes.Ok;
        }
        var feed = core.Feeds.Get(episode.FeedId);
        Console.WriteLine($"Episode {episode.Id}: {TerminalText.Clean(episode.Title)}");
        Console.WriteLine($"Feed:       {episode.FeedId} {TerminalText.Clean(feed?.DisplayTitle)}");
        Console.WriteLine($"Published:  {TerminalText.Time(episode.PublishedAt)}   Duration: {TerminalText.Duration(episode.DurationSeconds)}");
        Console.WriteLine($"Status:     {episode.Status.ToName()}" + (episode.ErrorMessage is { } error ? $" ({TerminalText.Clean(error)})" : ""));
        Console.WriteLine($"Audio URL:  {TerminalText.Clean(episode.AudioUrl ?? "-")}");
        if (episode.TranscriptUrl is not null)
            Console.WriteLine($"Publisher transcript: {TerminalText.Clean(episode.TranscriptUrl)}");
        Console.WriteLine($"Audio:      {(episode.AudioPath is { } audio ? core.Layout.Resolve(audio) : "-")}");
        Console.WriteLine(
            $"Transcript: {(episode.TranscriptPath is { } transcript ? core.Layout.Resolve(transcript) : "-")}"
                + (
                    episode.TranscriptSource is { } source
                        ? $" ({TerminalText.Clean(source)}{(episode.TranscriptModel is { } m ? ", " + TerminalText.Clean(m) : "")})"
                        : ""
                )
        );
        if (jobs.Count > 0)
        {
            Console.WriteLine();
            QueueCommands.JobTable(jobs.Select(j => CliDto.Job(j)).ToList(), withEpisode: false).Write();
        }
        return ExitCodes.Ok;
    }

    /// <summary>Print an episode's transcript to stdout.</summary>
    /// <param name="episodeId">The episode.</param>
    /// <param name="format">-f, md, srt, vtt, json or txt.</param>
    [Command("transcript")]
    public async Task<int> TranscriptAsync([Argument] long episodeId, string format = "md", CancellationToken cancellationToken = default)
    {
        var parsed = ParseFormat(format);
        var core = GlobalOptions.OpenCore();
        var (content, _, _) = await core.Transcripts.GetAsync(episodeId, parsed, cancellationToken);
        await Console.Out.WriteAsync(content);
        await Console.Out.FlushAsync(cancellationToken);
        return ExitCodes.Ok;
    }

    internal static TranscriptFormat ParseFormat(string format) =>
        TranscriptFormats.TryParse(format.Trim().ToLowerInvariant(), out var parsed)
            ? parsed
            : throw new UsageException($"Unknown --format '{format}': use md, srt, vtt, json or txt.");

    internal static Table EpisodeTable(IEnumerable<Episode> episodes)
    {
        var table = new Table("ID", "STATUS", "PUBLISHED", "DURATION", "TITLE").AlignRight("ID", "DURATION");
        foreach (var e in episodes)
            table.Add(
                e.Id.ToString(),
                e.Status.ToName(),
                TerminalText.Date(e.PublishedAt),
                TerminalText.Duration(e.DurationSeconds),
                TerminalText.Short(e.Title, 80)
            );
        return table;
    }
}
