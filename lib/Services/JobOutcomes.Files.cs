using System.Globalization;
using Cast2md.Files;
using Cast2md.Transcripts;
using Microsoft.Extensions.Logging;

namespace Cast2md.Services;

public sealed partial class JobOutcomes
{
    /// <summary>The folder under the data folder's tmp where results wait for their commit.</summary>
    public const string StagingFolder = "results";

    /// <summary>Formats written from the JSON sidecar on request; a new transcript makes them stale.</summary>
    private static readonly TranscriptFormat[] DerivedFormats = [TranscriptFormat.Srt, TranscriptFormat.Vtt, TranscriptFormat.Txt];

    /// <summary>
    /// Where a result file of the claim (<paramref name="jobId"/>, <paramref name="token"/>) is written before its commit:
    /// <c>tmp/results/{job}-{token}{extension}</c>. The name says which claim it belongs to, so the start-up pass can tell
    /// a committed result (adopt it) from an abandoned one (delete it).
    /// </summary>
    /// <exception cref="ArgumentException">The token is not one the queue issued (hex digits only), so it can never name a path.</exception>
    public static string StagingPath(StorageLayout layout, long jobId, string token, string extension)
    {
        if (token.Length is 0 or > 128 || !token.All(char.IsAsciiHexDigit))
            throw new ArgumentException("a lease token is hex digits only", nameof(token));
        return Path.Combine(layout.TempDirectory, StagingFolder, string.Create(CultureInfo.InvariantCulture, $"{jobId}-{token}{extension}"));
    }

    /// <summary>
    /// Moves committed files into place (the JSON sidecar before the Markdown, as they were staged), then removes what
    /// the new transcript made stale: the derived formats beside it and, when the episode's transcript moved to another
    /// name, the old files. A move that fails leaves the staged file for <see cref="Reconcile"/>.
    /// </summary>
    private void Place(IReadOnlyList<StagedFile> files, string? replacedTranscript)
    {
        foreach (var file in files)
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(file.FinalPath)!);
                File.Move(file.StagedPath, file.FinalPath, overwrite: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _logger.LogError(
                    "a committed result could not be moved into place ({Path}): {Error}; it is adopted at the next start",
                    file.FinalPath,
                    ex.Message
                );
                continue;
            }
            if (file.FinalPath.EndsWith(".md", StringComparison.Ordinal))
                RemoveDerived(file.FinalPath);
        }
        if (replacedTranscript is not null && layout is not null)
        {
            var old = layout.Resolve(replacedTranscript);
            TryDelete(old);
            TryDelete(Path.ChangeExtension(old, ".json"));
            RemoveDerived(old);
        }
    }

    private static void RemoveDerived(string markdownPath)
    {
        foreach (var format in DerivedFormats)
            TryDelete(Path.ChangeExtension(markdownPath, "." + TranscriptFormats.Extension(format)));
    }

    private static void Discard(IReadOnlyList<StagedFile> files)
    {
        foreach (var file in files)
            TryDelete(file.StagedPath);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the start-up pass and the temp purge remove leftovers.
        }
    }
}
