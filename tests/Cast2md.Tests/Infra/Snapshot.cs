using Xunit;

namespace Cast2md.Tests.Infra;

/// <summary>
/// The one snapshot check: compares text with a checked-in file under tests/Cast2md.Tests/Expected/, read from the
/// source tree (line endings normalised). A missing file is written and the spec fails once, so a new output is looked
/// at before it is accepted. On a mismatch this run's text is written beside it as NAME.received.EXT (git ignores
/// those); with CAST2MD_UPDATE_SNAPSHOTS=1 it replaces the checked-in file instead (review the diff before committing).
/// </summary>
internal static class Snapshot
{
    public static string Folder => Path.Combine(Paths.RepoRoot, "tests", "Cast2md.Tests", "Expected");

    /// <param name="name">The file under Expected/, with its extension; a subfolder may be named ("Monitor/queue.txt").</param>
    /// <param name="actual">What this run produced.</param>
    public static void Match(string name, string actual)
    {
        var path = Path.Combine(Folder, name);
        var received = Path.Combine(Path.GetDirectoryName(path)!, $"{Path.GetFileNameWithoutExtension(path)}.received{Path.GetExtension(path)}");
        actual = actual.ReplaceLineEndings("\n");
        if (Environment.GetEnvironmentVariable("CAST2MD_UPDATE_SNAPSHOTS") == "1")
        {
            File.WriteAllText(path, actual);
            File.Delete(received);
            return;
        }
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            Assert.Fail($"snapshot {path} did not exist: written now from this run; look at it, commit it, and run again");
        }
        var expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (expected == actual)
        {
            File.Delete(received);
            return;
        }
        File.WriteAllText(received, actual);
        Assert.Fail($"output differs from {path} (this run's is in {received})\n--- expected\n{expected}\n--- actual\n{actual}");
    }
}
