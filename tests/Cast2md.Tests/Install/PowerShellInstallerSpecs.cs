using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.Install;

/// <summary>
/// install.ps1 run with pwsh here: its parse, arguments, downloads and checksums, registration against a live server,
/// the files it writes and uninstall. What only Windows runs (scheduled task, service, sc.exe, the registry, the .cmd
/// helpers) is recorded, not run.
/// </summary>
[Collection(RealProcessesCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed class PowerShellInstallerSpecs
{
    private static readonly Dictionary<string, string?> DistributedServer = new() { ["DISTRIBUTED_TRANSCRIPTION_ENABLED"] = "true" };

    private static readonly string[] TaskInstallFiles =
    [
        ".cast2md",
        ".cast2md/bin",
        ".cast2md/install-node.conf",
        ".cast2md/logs.cmd",
        ".cast2md/node.json",
        ".cast2md/restart.cmd",
        ".cast2md/run-node.cmd",
        ".cast2md/start.cmd",
        ".cast2md/status.cmd",
        ".cast2md/stop.cmd",
    ];

    private static string Rid => ReleaseFolder.Rid;

    private static Dictionary<string, string?> Node(Uri server, string name, string? service = null)
    {
        var environment = new Dictionary<string, string?> { ["CAST2MD_SERVER_URL"] = server.ToString().TrimEnd('/'), ["CAST2MD_NODE_NAME"] = name };
        if (service is not null)
            environment["CAST2MD_SERVICE"] = service;
        return environment;
    }

    [Fact(Timeout = 60_000)]
    public async Task I_can_parse_install_ps1_with_powershells_own_parser_and_it_has_no_errors()
    {
        // Arrange
        using var installer = PowerShellInstaller.Create();
        var script = Path.Combine(Paths.RepoRoot, "install.ps1").Replace("'", "''", StringComparison.Ordinal);

        // Act
        var parse = await installer.CommandAsync(
            $"$tokens = $null; $errors = $null; [void][System.Management.Automation.Language.Parser]::ParseFile('{script}', [ref]$tokens, [ref]$errors); "
                + "$errors | ForEach-Object { \"$($_.Extent.StartLineNumber): $($_.Message)\" }; \"errors: $($errors.Count)\""
        );

        // Assert
        Assert.True(parse.ExitCode == 0, parse.StandardError);
        Assert.Equal("errors: 0", parse.StandardOutput.Trim());
    }

    [Fact(Timeout = 120_000)]
    public async Task I_can_install_a_node_with_install_ps1_unattended_as_a_scheduled_task_and_uninstall_it_leaving_nothing_behind()
    {
        // Arrange: the checkout's ./bin beside install.ps1, a live server
        using var installer = PowerShellInstaller.Create();
        using var data = TempDir.Create();
        await using var server = await ServeProcess.StartAsync(data.Path, DistributedServer);

        // Act: -Unattended from the environment; the default service is the scheduled task
        var install = await installer.RunAsync(new Dictionary<string, string?>(Node(server.BaseUrl, "win-box")) { ["CAST2MD_UNATTENDED"] = "1" });

        // Assert: the binary and whisper's runtimes, the files, a registered node, the task registered and started
        Assert.True(install.ExitCode == 0, install.StandardError + install.StandardOutput);
        Assert.Equal(TaskInstallFiles, installer.Files());
        Assert.True(File.Exists(Path.Combine(installer.State, "bin", "cast2md")));
        Assert.Contains(Directory.EnumerateFiles(Path.Combine(installer.State, "bin", "runtimes"), "*", SearchOption.AllDirectories), f =>
            Path.GetFileName(f).StartsWith("libwhisper", StringComparison.Ordinal)
        );
        var runner = Path.Combine(installer.State, "run-node.cmd");
        Assert.Equal([$"register-task {runner}", "start-task"], installer.Calls());
        Assert.Contains("set NODE_PERSISTENT=1", installer.Read(".cast2md/run-node.cmd"));
        Assert.Contains(
            $"\"{installer.State}/bin/cast2md\" node start --no-browser >> \"{installer.State}/node.log\" 2>&1",
            installer.Read(".cast2md/run-node.cmd")
        );
        Assert.Contains("schtasks /Run /TN cast2md-node", installer.Read(".cast2md/start.cmd"));
        Assert.Equal(
            ["role=node", "os=windows", $"prefix={installer.State}", "service=task", "auto_terminate=0"],
            installer.Read(".cast2md/install-node.conf").TrimEnd().Split("\r\n")
        );
        Assert.Equal("win-box", Assert.Single(await InstallerSpecs.NodesAsync(server)).GetProperty("name").GetString());

        // Act: uninstall
        installer.ForgetCalls();
        var uninstall = await installer.RunAsync(null, "-Uninstall", "-Unattended");

        // Assert: task and service removed, the node unregistered, HOME as empty as before
        Assert.True(uninstall.ExitCode == 0, uninstall.StandardError + uninstall.StandardOutput);
        Assert.Equal(["remove-task", "remove-service"], installer.Calls());
        Assert.Empty(installer.Files());
        Assert.Empty(await InstallerSpecs.NodesAsync(server));
    }

    [Fact(Timeout = 180_000)]
    public async Task I_can_install_a_node_with_install_ps1_from_a_release_on_loopback_checked_against_sha256sums_as_a_service_and_update_it()
    {
        // Arrange: the release folder make dist writes (install.ps1 in it, so no ./bin beside the script), on loopback
        using var installer = PowerShellInstaller.Create();
        using var data = TempDir.Create();
        await using var server = await ServeProcess.StartAsync(data.Path, DistributedServer);
        var release = installer.Dir.Combine("release");
        await ReleaseFolder.WriteAsync(release);
        using var http = InstallerSpecs.ServeDirectory(release, out var baseUrl);
        var environment = new Dictionary<string, string?>(Node(server.BaseUrl, "win-service", "service")) { ["CAST2MD_RELEASE_BASE"] = baseUrl };

        // Act: the installer finds this platform's archive in the release's SHA256SUMS (http from loopback: -Insecure)
        var install = await installer.RunScriptAsync(environment, Path.Combine(release, "install.ps1"), "-Unattended", "-Insecure");

        // Assert: downloaded, checked, installed; the service gets node.json's path and NODE_PERSISTENT
        Assert.True(install.ExitCode == 0, install.StandardError + install.StandardOutput);
        var archive = Path.GetFileName(Assert.Single(Directory.EnumerateFiles(release, "*.tar.gz")));
        Assert.Contains($"downloading {baseUrl}{archive}", install.StandardOutput);
        Assert.Contains($"checksum of {archive} verified", install.StandardOutput);
        Assert.Equal([$"install-service CAST2MD_NODE_CONFIG={installer.State}/node.json NODE_PERSISTENT=1"], installer.Calls());
        Assert.Contains("sc.exe start cast2md-node", installer.Read(".cast2md/start.cmd"));
        Assert.Contains("service=service", installer.Read(".cast2md/install-node.conf"));
        var credentials = installer.Read(".cast2md/node.json");

        // Act: the same command again finds the install and updates it
        installer.ForgetCalls();
        var update = await installer.RunScriptAsync(environment, Path.Combine(release, "install.ps1"), "-Unattended", "-Insecure");

        // Assert: node.json kept, the service replaced, still one node
        Assert.True(update.ExitCode == 0, update.StandardError + update.StandardOutput);
        Assert.Contains("updated the cast2md node", update.StandardOutput);
        Assert.Equal(credentials, installer.Read(".cast2md/node.json"));
        Assert.Equal(
            ["remove-task", "remove-service", $"install-service CAST2MD_NODE_CONFIG={installer.State}/node.json NODE_PERSISTENT=1"],
            installer.Calls()
        );
        Assert.Single(await InstallerSpecs.NodesAsync(server));
    }

    [Fact(Timeout = 180_000)]
    public async Task I_can_install_a_node_with_the_irm_iex_line_from_a_release_folder_as_a_script_and_uninstall_it()
    {
        // Arrange: a release folder (file://, allowed without -Insecure), its install.ps1 served on loopback, a live server
        using var installer = PowerShellInstaller.Create();
        using var data = TempDir.Create();
        await using var server = await ServeProcess.StartAsync(data.Path, DistributedServer);
        var release = installer.Dir.Combine("release");
        await ReleaseFolder.WriteAsync(release);
        using var http = InstallerSpecs.ServeDirectory(release, out var baseUrl);
        var environment = new Dictionary<string, string?>(Node(server.BaseUrl, "piped", "script"))
        {
            ["CAST2MD_UNATTENDED"] = "1",
            ["CAST2MD_RELEASE_BASE"] = new Uri(release + "/").AbsoluteUri,
        };

        // Act: the script's own one-liner; piped into Invoke-Expression it has no folder and takes no arguments
        var install = await installer.CommandAsync($"irm {baseUrl}install.ps1 | iex", environment);

        // Assert: installed from the release's archive, registered, the .cmd helpers written, nothing recorded
        Assert.True(install.ExitCode == 0, install.StandardError + install.StandardOutput);
        Assert.Contains("verified", install.StandardOutput);
        Assert.Equal(
            [
                ".cast2md",
                ".cast2md/bin",
                ".cast2md/install-node.conf",
                ".cast2md/logs.cmd",
                ".cast2md/node.json",
                ".cast2md/restart.cmd",
                ".cast2md/start.cmd",
                ".cast2md/status.cmd",
                ".cast2md/stop.cmd",
            ],
            installer.Files()
        );
        Assert.Contains("set NODE_PERSISTENT=1", installer.Read(".cast2md/start.cmd"));
        Assert.Empty(installer.Calls());
        Assert.Equal("piped", Assert.Single(await InstallerSpecs.NodesAsync(server)).GetProperty("name").GetString());

        // Act: uninstall with the repository's script
        var uninstall = await installer.RunAsync(null, "-Uninstall", "-Unattended");

        // Assert
        Assert.True(uninstall.ExitCode == 0, uninstall.StandardError + uninstall.StandardOutput);
        Assert.Empty(installer.Files());
        Assert.Empty(await InstallerSpecs.NodesAsync(server));
    }

    [Fact(Timeout = 120_000)]
    public async Task I_can_not_install_with_install_ps1_from_an_archive_that_is_not_over_https_or_does_not_match_its_checksum()
    {
        // Arrange: a release whose SHA256SUMS names another digest, and one that is fine, on loopback
        using var installer = PowerShellInstaller.Create();
        var release = Directory.CreateDirectory(installer.Dir.Combine("release")).FullName;
        var archive = Path.Combine(release, $"cast2md-0.0.1-{Rid}.tar.gz");
        await InstallerSpecs.WriteArchiveAsync(Path.Combine(Paths.RepoRoot, "bin"), archive);
        await File.WriteAllTextAsync(Path.Combine(release, "SHA256SUMS"), new string('0', 64) + "  " + Path.GetFileName(archive) + "\n");
        using var http = InstallerSpecs.ServeDirectory(release, out var baseUrl);
        var node = new Dictionary<string, string?>
        {
            ["CAST2MD_SERVER_URL"] = "http://127.0.0.1:9",
            ["CAST2MD_NODE_NAME"] = "box",
            ["CAST2MD_SERVICE"] = "manual",
        };
        var url = baseUrl + Path.GetFileName(archive);

        // Act
        var plain = await installer.RunAsync(node, "-Unattended", "-Archive", url);
        var remote = await installer.RunAsync(
            node,
            "-Unattended",
            "-Insecure",
            "-Archive",
            "http://downloads.example.test/" + Path.GetFileName(archive)
        );
        var tampered = await installer.RunAsync(node, "-Unattended", "-Insecure", "-Archive", url);

        // Assert: each refused with its reason, no binary installed
        Assert.NotEqual(0, plain.ExitCode);
        Assert.Contains("downloaded over https only", plain.StandardError);
        Assert.NotEqual(0, remote.ExitCode);
        Assert.Contains("only from a loopback address", remote.StandardError);
        Assert.NotEqual(0, tampered.ExitCode);
        Assert.Contains("does not match its checksum", tampered.StandardError);
        Assert.False(File.Exists(Path.Combine(installer.State, "bin", "cast2md")));
    }

    [Fact(Timeout = 60_000)]
    public async Task I_can_not_install_with_install_ps1_unattended_without_a_server_url_or_with_an_unknown_service_and_nothing_is_left_behind()
    {
        // Arrange
        using var installer = PowerShellInstaller.Create();

        // Act
        var noServer = await installer.RunAsync(null, "-Unattended");
        var badService = await installer.RunAsync(null, "-Unattended", "-ServerUrl", "http://127.0.0.1:9", "-Service", "daemon");

        // Assert
        Assert.NotEqual(0, noServer.ExitCode);
        Assert.Contains("CAST2MD_SERVER_URL", noServer.StandardError);
        Assert.NotEqual(0, badService.ExitCode);
        Assert.Contains("daemon", badService.StandardError);
        Assert.Empty(installer.Files());
        Assert.Empty(installer.Calls());
    }
}
