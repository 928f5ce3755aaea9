using Cast2md.Tests.Infra;
using CliWrap;
using CliWrap.Buffered;
using Xunit;

namespace Cast2md.Tests.Install;

/// <summary>install.sh installs only what it can check: archives over https (http only with --insecure, from loopback) whose SHA-256 is in the SHA256SUMS beside them.</summary>
[Collection(RealProcessesCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed class InstallerSecuritySpecs
{
    private static readonly Dictionary<string, string?> Node = new()
    {
        ["CAST2MD_SERVER_URL"] = "http://127.0.0.1:9",
        ["CAST2MD_NODE_NAME"] = "box",
        ["CAST2MD_SERVICE"] = "manual",
    };

    private static async Task<(string Folder, string Archive)> ReleaseAsync(Installer installer)
    {
        var release = Directory.CreateDirectory(installer.Dir.Combine("release")).FullName;
        var archive = Path.Combine(release, "cast2md-linux-x64.tar.gz");
        await InstallerSpecs.WriteArchiveAsync(Path.Combine(Paths.RepoRoot, "bin"), archive);
        return (release, archive);
    }

    [Fact(Timeout = 60_000)]
    public async Task An_http_archive_is_refused_without_insecure_and_from_anywhere_but_loopback_with_it()
    {
        // Arrange
        using var installer = Installer.Create();
        var (release, _) = await ReleaseAsync(installer);
        await InstallerSpecs.WriteChecksumsAsync(release);
        using var http = InstallerSpecs.ServeDirectory(release, out var baseUrl);

        // Act
        var plain = await installer.RunAsync(Node, "--unattended", "--archive", baseUrl + "cast2md-linux-x64.tar.gz");
        var remote = await installer.RunAsync(
            Node,
            "--unattended",
            "--insecure",
            "--archive",
            "http://downloads.example.test/cast2md-linux-x64.tar.gz"
        );

        // Assert: refused before anything was downloaded or installed
        Assert.NotEqual(0, plain.ExitCode);
        Assert.Contains("https only", plain.StandardError);
        Assert.NotEqual(0, remote.ExitCode);
        Assert.Contains("only from a loopback address", remote.StandardError);
        Assert.Empty(installer.Files());
    }

    [Fact(Timeout = 60_000)]
    public async Task An_archive_whose_checksum_differs_or_is_missing_is_refused()
    {
        // Arrange
        using var installer = Installer.Create();
        var (release, archive) = await ReleaseAsync(installer);
        using var http = InstallerSpecs.ServeDirectory(release, out var baseUrl);
        var url = baseUrl + "cast2md-linux-x64.tar.gz";

        // Act
        var noSums = await installer.RunAsync(Node, "--unattended", "--insecure", "--archive", url);
        await File.WriteAllTextAsync(Path.Combine(release, "SHA256SUMS"), $"{new string('0', 64)}  cast2md-linux-x64.tar.gz\n");
        var wrongSum = await installer.RunAsync(Node, "--unattended", "--insecure", "--archive", url);
        await File.WriteAllTextAsync(Path.Combine(release, "SHA256SUMS"), $"{new string('0', 64)}  cast2md-osx-arm64.tar.gz\n");
        var notListed = await installer.RunAsync(Node, "--unattended", "--insecure", "--archive", url);

        // Assert
        Assert.NotEqual(0, noSums.ExitCode);
        Assert.Contains("cannot be checked", noSums.StandardError);
        Assert.NotEqual(0, wrongSum.ExitCode);
        Assert.Contains("does not match its checksum", wrongSum.StandardError);
        Assert.NotEqual(0, notListed.ExitCode);
        Assert.Contains("lists no checksum", notListed.StandardError);
        Assert.False(File.Exists(Path.Combine(installer.State, "bin", "cast2md")));
        Assert.True(File.Exists(archive));
    }

    [Fact(Timeout = 120_000)]
    public async Task Make_dist_writes_an_archive_and_sha256sums_that_the_installer_accepts()
    {
        // Arrange
        using var installer = Installer.Create();
        var dist = installer.Dir.Combine("dist");

        // Act: what `make dist` runs once ./bin is published
        var made = await Cli.Wrap("bash")
            .WithArguments([Path.Combine(Paths.RepoRoot, "scripts", "dist.sh"), dist, "linux-x64"])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        var check = await Cli.Wrap("sha256sum")
            .WithArguments(["-c", "SHA256SUMS"])
            .WithWorkingDirectory(dist)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        var version = (await Cli.Wrap(Paths.PublishedBinary).WithArguments("--version").ExecuteBufferedAsync()).StandardOutput.Split('\n')[0].Trim();
        var archive = $"cast2md-{version}-linux-x64.tar.gz";
        var install = await installer.RunAsync(Node, "--unattended", "--archive", new Uri(Path.Combine(dist, archive)).AbsoluteUri);

        // Assert: the archive is named after the binary's version; the installers come with it
        Assert.True(made.ExitCode == 0, made.StandardError);
        Assert.Equal(
            ["SHA256SUMS", archive, "install.ps1", "install.sh"],
            Directory.EnumerateFiles(dist).Select(Path.GetFileName).Order(StringComparer.Ordinal)
        );
        Assert.True(check.ExitCode == 0, check.StandardOutput + check.StandardError);
        Assert.Contains($"checksum of {archive} verified", install.StandardError);
        Assert.True(File.Exists(Path.Combine(installer.State, "bin", "cast2md")), install.StandardError);
    }
}
