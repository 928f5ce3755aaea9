using System.IO.Compression;
using Cast2md.Api;
using Cast2md.Cli.Infrastructure;
using Cast2md.Cli.Output;
using Cast2md.Files;
using Cast2md.Json;
using Cast2md.Services;
using Cast2md.Transcripts;
using ConsoleAppFramework;

namespace Cast2md.Cli.Commands;

[RegisterCommands]
internal sealed class ExportCommand
{
    /// <summary>Write a zip of a feed's transcripts (as GET /api/feeds/{id}/export); prints where it went.</summary>
    /// <param name="feedId">The feed.</param>
    /// <param name="format">-f, Transcript format: md, srt, vtt, json or txt.</param>
    /// <param name="output">-o, The zip file; "-" writes the zip to stdout. Default: "{title}_transcripts.zip" in the current folder.</param>
    /// <param name="json">Print the result as one JSON document on stdout (not with -o -).</param>
    [Command("export")]
    public async Task<int> RunAsync(
        [Argument] long feedId,
        string format = "md",
        string? output = null,
        bool json = false,
        CancellationToken cancellationToken = default
    )
    {
        var parsed = EpisodeCommands.ParseFormat(format);
        var toStdout = output == "-";
        if (toStdout && json)
            throw new UsageException("--json cannot be combined with -o - (the zip goes to stdout).");
        var core = GlobalOptions.OpenCore();
        var feed = FeedCommands.RequireFeed(core, feedId);
        var episodes = core.Episodes.ListByFeed(feedId, limit: 10_000).Episodes.Where(e => e.TranscriptPath is not null).ToList();
        if (episodes.Count == 0)
            throw new NotFoundException($"Feed {feedId} has no transcripts yet.");

        var path = toStdout ? null : Path.GetFullPath(output ?? $"{FileNames.Sanitize(feed.DisplayTitle)}_transcripts.zip");
        if (path is not null && !Directory.Exists(Path.GetDirectoryName(path)))
            throw new UsageException($"The output folder '{Path.GetDirectoryName(path)}' does not exist.");

        var count = 0;
        async Task WriteZipAsync(Stream stream, CancellationToken ct)
        {
            await using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var episode in episodes)
            {
                string content,
                    fileName;
                try
                {
                    (content, _, fileName) = await core.Transcripts.GetAsync(episode.Id, parsed, ct);
                }
                catch (NotFoundException ex)
                {
                    Log.Warn($"episode {episode.Id}: {ex.Message}");
                    continue;
                }
                var name = fileName;
                for (var i = 2; !names.Add(name); i++)
                    name = $"{Path.GetFileNameWithoutExtension(fileName)}-{i}{Path.GetExtension(fileName)}";
                var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
                entry.LastWriteTime = ZipTime(episode.PublishedAt ?? episode.UpdatedAt);
                await using var entryStream = await entry.OpenAsync(ct);
                await using var writer = new StreamWriter(entryStream, new System.Text.UTF8Encoding(false));
                await writer.WriteAsync(content.AsMemory(), ct);
                count++;
            }
        }

        if (path is null)
        {
            // A zip needs a seekable stream or it writes data descriptors; buffer it so any reader can open it.
            using var buffer = new MemoryStream();
            await WriteZipAsync(buffer, cancellationToken);
            await using var stdout = Console.OpenStandardOutput();
            buffer.Position = 0;
            await buffer.CopyToAsync(stdout, cancellationToken);
            Log.Info($"exported {count} transcript{(count == 1 ? "" : "s")}");
            return ExitCodes.Ok;
        }

        await AtomicFile.WriteAsync(path, WriteZipAsync, cancellationToken);
        var bytes = new FileInfo(path).Length;
        if (json)
            JsonOutput.Write(
                new CliExportResult(feedId, TranscriptFormats.Extension(parsed), path, count, bytes),
                Cast2mdJsonContext.Default.CliExportResult
            );
        else
            Console.WriteLine($"Exported {count} transcript{(count == 1 ? "" : "s")} of \"{TerminalText.Clean(feed.DisplayTitle)}\" to {path}");
        return ExitCodes.Ok;
    }

    /// <summary>Zip (DOS) times start in 1980; older publication dates (archive recordings) are clamped.</summary>
    private static DateTimeOffset ZipTime(DateTimeOffset time)
    {
        var earliest = new DateTimeOffset(1980, 1, 2, 0, 0, 0, TimeSpan.Zero);
        var latest = new DateTimeOffset(2107, 12, 30, 0, 0, 0, TimeSpan.Zero);
        return time < earliest ? earliest
            : time > latest ? latest
            : time;
    }
}
