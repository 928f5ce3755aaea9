using System.Diagnostics;
using Cast2md.Tests.Import;

namespace Cast2md.Benchmarks;

/// <summary>
/// `cast2md import` of a generated original installation: a throw-away PostgreSQL (the import specs' fixture) holding
/// feeds × episodes, every episode transcribed (Markdown of the original's shape, the given number of segments), the
/// storage folder beside it. Times the published binary: the first import, then a second run (which changes nothing).
/// </summary>
internal static class ImportBench
{
    public static async Task<int> RunAsync(int feeds, int episodesPerFeed, int segments)
    {
        var binary = Path.Combine(RepoRoot(), "bin", "cast2md");
        var root = Path.Combine(Path.GetTempPath(), "cast2md-import-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var server = await OriginalPostgresServer.StartAsync(Path.Combine(root, "pg"));
            await server.CreateDatabaseAsync("original");
            var clock = Stopwatch.StartNew();
            await using (var source = server.DataSource("original"))
                await OriginalInstallationWriter.WriteAsync(
                    source,
                    Path.Combine(root, "storage"),
                    feeds,
                    episodesPerFeed,
                    segments,
                    quirks: false,
                    allTranscribed: true
                );
            var bytes = Directory.EnumerateFiles(Path.Combine(root, "storage"), "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
            Console.WriteLine(
                $"generated {feeds * episodesPerFeed} episodes in {feeds} feeds, {bytes / 1024.0 / 1024:0} MB of transcripts, in {clock.Elapsed.TotalSeconds:0.0} s"
            );
            string[] arguments =
            [
                "import",
                "--database",
                server.Url("original"),
                "--storage",
                Path.Combine(root, "storage"),
                "--data-dir",
                Path.Combine(root, "data"),
                "--json",
            ];
            foreach (var run in (string[])["first import", "second run (changes nothing)"])
            {
                clock.Restart();
                using var process = Process.Start(
                    new ProcessStartInfo(binary, arguments) { RedirectStandardOutput = true, RedirectStandardError = true }
                )!;
                var output = process.StandardOutput.ReadToEndAsync();
                var errors = process.StandardError.ReadToEndAsync();
                await process.WaitForExitAsync();
                if (process.ExitCode != 0)
                {
                    Console.Error.WriteLine(await errors);
                    return 1;
                }
                Console.WriteLine($"{run}: {clock.Elapsed.TotalSeconds:0.0} s ({feeds * episodesPerFeed / clock.Elapsed.TotalSeconds:0} episodes/s)");
                Console.WriteLine("  " + await output);
            }
            return 0;
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException) { }
        }
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Cast2md.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Cast2md.sln not found above " + AppContext.BaseDirectory);
    }
}
