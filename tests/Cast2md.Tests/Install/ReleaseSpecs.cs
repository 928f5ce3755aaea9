using Cast2md.Tests.EndToEnd.Distributed;
using Cast2md.Tests.Infra;
using CliWrap;
using CliWrap.Buffered;
using Xunit;

namespace Cast2md.Tests.Install;

/// <summary>The release path: make dist's folder served as a release, the README's curl | bash line run against it.</summary>
[Collection(RealProcessesCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed class ReleaseSpecs
{
    /// <summary>Where install.sh downloads a release from when no CAST2MD_RELEASE_BASE is given.</summary>
    private const string DefaultReleaseBase = "https://github.com/meltforce/cast2md-aot/releases/latest/download";

    private static string Rid => ReleaseFolder.Rid;

    [Fact(Timeout = 300_000)]
    public async Task I_can_install_a_release_from_make_dist_with_the_readmes_curl_bash_line_and_its_service_transcribes_a_job()
    {
        // Arrange: the release folder make dist writes (both editions), served on loopback; a server that hands out transcriptions
        using var installer = Installer.Create();
        installer.RunUnitsLikeSystemd();
        await using var fleet = Fleet.Create();
        await fleet.StartServerAsync();
        var release = installer.Dir.Combine("release");
        await ReleaseFolder.WriteAsync(release);
        await ReleaseFolder.WriteAsync(release, nodeEdition: true);
        using var http = InstallerSpecs.ServeDirectory(release, out var baseUrl);
        var readmeLine = File.ReadAllLines(Path.Combine(Paths.RepoRoot, "README.md"))
            .Single(l => l.StartsWith($"curl -fsSL {DefaultReleaseBase}/install.sh | bash", StringComparison.Ordinal));
        var environment = new Dictionary<string, string?>(Fleet.StandIn)
        {
            ["CAST2MD_RELEASE_BASE"] = baseUrl,
            ["CAST2MD_UNATTENDED"] = "1",
            ["CAST2MD_SERVER_URL"] = fleet.Server.BaseUrl.ToString().TrimEnd('/'),
            ["CAST2MD_NODE_NAME"] = "released",
            ["CAST2MD_SERVICE"] = "service",
            ["NODE_PORT"] = "0",
            ["NODE_HEARTBEAT_INTERVAL_SECONDS"] = "1",
        };

        // Act: the README's line with the loopback release (http from loopback needs --insecure)
        var line = readmeLine.Split('#')[0].Trim().Replace(DefaultReleaseBase + "/", baseUrl, StringComparison.Ordinal) + " -s -- --insecure";
        var install = await installer.RunLineAsync(environment, line);

        // Assert: the node edition's archive named after the binary's version, its checksum checked, under 30 MB
        // installed, a registered node whose unit runs
        Assert.True(install.ExitCode == 0, install.StandardError);
        var version = await ReleaseFolder.PublishedVersionAsync();
        var full = $"cast2md-{version}-{Rid}.tar.gz";
        var archive = $"cast2md-node-{version}-{Rid}.tar.gz";
        Assert.Equal(
            ["SHA256SUMS", full, archive, "install.ps1", "install.sh"],
            Directory.EnumerateFiles(release).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal)
        );
        Assert.Contains($"checksum of {archive} verified", install.StandardError);
        var installed = Directory
            .EnumerateFiles(Path.Combine(installer.State, "bin"), "*", SearchOption.AllDirectories)
            .Sum(f => new FileInfo(f).Length);
        Assert.True(installed < 30L * 1024 * 1024, $"the node installed {installed / 1024.0 / 1024:0.0} MiB");
        Assert.Contains(
            "ExecStart=" + Path.Combine(installer.State, "bin", "cast2md") + " node start --no-browser",
            installer.Read(".config/systemd/user/cast2md-node.service")
        );
        Assert.Equal(
            ["systemctl --user daemon-reload", "systemctl --user enable cast2md-node.service", "systemctl --user restart cast2md-node.service"],
            installer.Calls().Take(3)
        );
        Assert.Equal("released", Assert.Single(await InstallerSpecs.NodesAsync(fleet.Server)).GetProperty("name").GetString());

        // Act: stop and start it with the helpers, as a user would; then a transcription is queued
        var helperEnvironment = new Dictionary<string, string?>(environment)
        {
            ["HOME"] = installer.Home,
            ["PATH"] = installer.Stubs + ":" + Environment.GetEnvironmentVariable("PATH"),
        };
        var stop = await Helper(installer, "stop", helperEnvironment);
        var start = await Helper(installer, "start", helperEnvironment);
        await fleet.WaitForAsync(
            () => fleet.NodesAsync().Result.EnumerateArray().Single().GetProperty("status").GetString() == "online",
            "the installed node to come online\n--- node.log ---\n" + ReadLog(installer),
            30
        );
        var episode = fleet.AddEpisodes(1, Paths.JfkWav, "Released").Single();
        var job = fleet.QueueTranscription(episode);

        // Assert: the node the release installed transcribed it
        Assert.True(stop.ExitCode == 0 && start.ExitCode == 0, stop.StandardError + start.StandardError);
        await fleet.WaitForAsync(() => fleet.IsDone(job), "the installed node to transcribe the job\n--- node.log ---\n" + ReadLog(installer));
        Assert.StartsWith($"# {episode.Title}", fleet.TranscriptOf(episode.Id));
        Assert.Contains("node status on http://", ReadLog(installer));
    }

    [Fact(Timeout = 60_000)]
    public async Task I_can_see_make_dist_name_its_archive_after_the_version_the_binary_was_built_with()
    {
        // Arrange
        using var dir = TempDir.Create();

        // Act
        await ReleaseFolder.WriteAsync(dir.Path, "cuda");
        var version = await ReleaseFolder.PublishedVersionAsync();

        // Assert: one version everywhere, VERSION's (make publish builds in the checkout's v-tag instead where it has one)
        var expected = File.ReadAllText(Path.Combine(Paths.RepoRoot, "VERSION")).Trim();
        Assert.Matches(@"^\d+\.\d+\.\d+$", expected);
        var tag = await Cli.Wrap("git")
            .WithArguments(["describe", "--tags", "--match", "v[0-9]*"])
            .WithWorkingDirectory(Paths.RepoRoot)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        if (tag.ExitCode == 0 && tag.StandardOutput.Trim().Length > 1)
            expected = tag.StandardOutput.Trim()[1..];
        Assert.Equal(expected, version);
        var sums = await File.ReadAllLinesAsync(Path.Combine(dir.Path, "SHA256SUMS"));
        Assert.Matches($"^[0-9a-f]{{64}}  cast2md-{Regex(expected)}-{Rid}-cuda\\.tar\\.gz$", Assert.Single(sums));
    }

    [Fact(Timeout = 60_000)]
    public async Task The_node_edition_transcribes_and_says_that_serve_mcp_import_and_monitor_are_in_the_full_edition()
    {
        // Arrange
        var node = Paths.PublishedNodeBinary;
        Assert.True(File.Exists(node), $"{node} is missing: make publish-node builds it (make test does)");

        // Act
        var version = await Cli.Wrap(node).WithArguments("--version").ExecuteBufferedAsync();
        var refused = new List<BufferedCommandResult>();
        foreach (var command in (string[])["serve", "mcp", "import", "monitor"])
            refused.Add(await Cli.Wrap(node).WithArguments([command]).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync());
        var transcribed = await Cli.Wrap(node)
            .WithArguments(["transcribe", Paths.JfkWav, "--model", Paths.StandInModel])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();

        // Assert
        Assert.EndsWith(" (node edition)", version.StandardOutput.Split('\n')[0].Trim());
        Assert.All(refused, r =>
        {
            Assert.Equal(2, r.ExitCode);
            Assert.Contains("is not in the node edition of cast2md", r.StandardError);
            Assert.DoesNotContain("Exception", r.StandardError);
        });
        Assert.True(transcribed.ExitCode == 0, transcribed.StandardError);
        Assert.StartsWith("# jfk", transcribed.StandardOutput);
    }

    private static string Regex(string text) => System.Text.RegularExpressions.Regex.Escape(text);

    private static string ReadLog(Installer installer) =>
        File.Exists(Path.Combine(installer.State, "node.log")) ? installer.Read(".cast2md/node.log") : "(no node.log)";

    private static Task<BufferedCommandResult> Helper(Installer installer, string name, IReadOnlyDictionary<string, string?> environment) =>
        Cli.Wrap(Path.Combine(installer.State, name))
            .WithEnvironmentVariables(environment)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
}
