using Xunit;
using Cast2md.Tests.Infra;

namespace Cast2md.Tests.Transcripts;

/// <summary>
/// Compares text with a checked-in file in tests/Cast2md.Tests/Expected/. On a mismatch the actual text is
/// written as NAME.received.EXT next to the copy in the test output folder; with CAST2MD_UPDATE_SNAPSHOTS=1
/// it replaces the checked-in file instead (review the diff before committing).
/// </summary>
internal static class Snapshot
{
    public static void Match(string fileName, string actual)
    {
        var sourcePath = Path.Combine(Paths.RepoRoot, "tests", "Cast2md.Tests", "Expected", fileName);
        var outputPath = Path.Combine(AppContext.BaseDirectory, "Expected", fileName);
        var receivedPath = Path.Combine(
            Path.GetDirectoryName(outputPath)!,
            $"{Path.GetFileNameWithoutExtension(fileName)}.received{Path.GetExtension(fileName)}");

        if (Environment.GetEnvironmentVariable("CAST2MD_UPDATE_SNAPSHOTS") == "1")
        {
            File.WriteAllText(sourcePath, actual);
            return;
        }

        var expected = File.Exists(outputPath) ? File.ReadAllText(outputPath) : null;
        if (expected == actual)
        {
            File.Delete(receivedPath);
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(receivedPath)!);
        File.WriteAllText(receivedPath, actual);
        Assert.Fail(expected is null
            ? $"No snapshot {fileName}; the output was written to {receivedPath}."
            : $"Output differs from {fileName}; see {receivedPath}.\nExpected:\n{expected}\nActual:\n{actual}");
    }
}
