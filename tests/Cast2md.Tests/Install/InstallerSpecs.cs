using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using Cast2md.Tests.Infra;
using CliWrap;
using CliWrap.Buffered;
using Xunit;

namespace Cast2md.Tests.Install;

/// <summary>install.sh: unattended node and server installs, update, uninstall, units, archives, shellcheck.</summary>
[Collection(RealProcessesCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed class InstallerSpecs
{
    private static readonly Dictionary<string, string?> DistributedServer = new() { ["DISTRIBUTED_TRANSCRIPTION_ENABLED"] = "true" };

    private static readonly string[] NodeFilesOnLinux =
    [
        ".cast2md",
        ".cast2md/bin",
        ".cast2md/install-node.conf",
        ".cast2md/logs",
        ".cast2md/node.json",
        ".cast2md/restart",
        ".cast2md/start",
        ".cast2md/status",
        ".cast2md/stop",
        ".config",
        ".config/systemd",
        ".config/systemd/user",
        ".config/systemd/user/cast2md-node.service",
    ];

    private static Dictionary<string, string?> Node(Uri server, string name, string service = "service") =>
        new()
        {
            ["CAST2MD_SERVER_URL"] = server.ToString().TrimEnd('/'),
            ["CAST2MD_NODE_NAME"] = name,
            ["CAST2MD_SERVICE"] = service,
        };

    [Fact(Timeout = 120_000)]
    public async Task I_can_install_a_node_unattended_and_uninstall_it_leaving_nothing_behind()
    {
        // Arrange
        using var installer = Installer.Create();
        using var data = TempDir.Create();
        await using var server = await ServeProcess.StartAsync(data.Path, DistributedServer);

        // Act: install
        var install = await installer.RunAsync(Node(server.BaseUrl, "box-1"), "--unattended");

        // Assert: exactly the expected files, a registered node, a persistent systemd user service that was started
        Assert.True(install.ExitCode == 0, install.StandardError);
        Assert.Equal(NodeFilesOnLinux, installer.Files());
        Assert.True(File.Exists(Path.Combine(installer.State, "bin", "cast2md")));
        Assert.Contains(Directory.EnumerateFiles(Path.Combine(installer.State, "bin", "runtimes"), "*", SearchOption.AllDirectories), f =>
            Path.GetFileName(f).StartsWith("libwhisper", StringComparison.Ordinal)
        );
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, installer.ModeOf(".cast2md/node.json"));
        var unit = installer.Read(".config/systemd/user/cast2md-node.service");
        Assert.Contains($"ExecStart={installer.State}/bin/cast2md node start --no-browser", unit);
        Assert.Contains("Restart=always", unit);
        Assert.Contains("RestartSec=10", unit);
        Assert.Contains("Environment=NODE_PERSISTENT=1", unit);
        Assert.Contains($"StandardOutput=append:{installer.State}/node.log", unit);
        Assert.Contains("WantedBy=default.target", unit);
        Assert.Equal(
            ["systemctl --user daemon-reload", "systemctl --user enable cast2md-node.service", "systemctl --user restart cast2md-node.service"],
            installer.Calls().Take(3)
        );
        Assert.Matches("^loginctl enable-linger .+", installer.Calls()[3]);
        Assert.Equal("box-1", Assert.Single(await NodesAsync(server)).GetProperty("name").GetString());
        Assert.Contains("systemctl --user restart cast2md-node", installer.Read(".cast2md/restart"));
        await VerifyUnitAsync(Path.Combine(installer.Home, ".config/systemd/user/cast2md-node.service"));

        // Act: uninstall
        installer.ForgetCalls();
        var uninstall = await installer.RunAsync("--uninstall", "--unattended");

        // Assert: the service is gone, the node unregistered, HOME as empty as before
        Assert.True(uninstall.ExitCode == 0, uninstall.StandardError);
        Assert.Empty(installer.Files());
        Assert.Equal(["systemctl --user disable --now cast2md-node.service", "systemctl --user daemon-reload"], installer.Calls());
        Assert.Empty(await NodesAsync(server));
    }

    [Fact(Timeout = 120_000)]
    public async Task I_can_update_an_installed_node_and_it_keeps_node_json_and_restarts_the_service()
    {
        // Arrange
        using var installer = Installer.Create();
        using var data = TempDir.Create();
        await using var server = await ServeProcess.StartAsync(data.Path, DistributedServer);
        Assert.Equal(0, (await installer.RunAsync(Node(server.BaseUrl, "box-2"), "--unattended")).ExitCode);
        var credentials = installer.Read(".cast2md/node.json");
        installer.ForgetCalls();

        // Act: the same command again finds the install and updates it
        var update = await installer.RunAsync("--unattended");

        // Assert
        Assert.True(update.ExitCode == 0, update.StandardError);
        Assert.Contains("updated the cast2md node", update.StandardError);
        Assert.Equal(credentials, installer.Read(".cast2md/node.json"));
        Assert.Equal(NodeFilesOnLinux, installer.Files());
        Assert.Contains("systemctl --user restart cast2md-node.service", installer.Calls());
        Assert.Single(await NodesAsync(server));
    }

    [Fact(Timeout = 120_000)]
    public async Task I_can_install_a_node_on_macos_as_a_launchd_agent_that_auto_terminates_and_uninstall_it()
    {
        // Arrange
        using var installer = Installer.Create();
        using var data = TempDir.Create();
        await using var server = await ServeProcess.StartAsync(data.Path, DistributedServer);
        var macos = new Dictionary<string, string?>(Node(server.BaseUrl, "M4 MacBook Pro")) { ["CAST2MD_OS"] = "darwin" };

        // Act
        var install = await installer.RunAsync(macos, "--unattended", "--auto-terminate");

        // Assert: the launchd plist of the set-up guide, without NODE_PERSISTENT, loaded with launchctl
        Assert.True(install.ExitCode == 0, install.StandardError);
        const string plistPath = "Library/LaunchAgents/com.cast2md.node.plist";
        var plist = XDocument.Parse(installer.Read(plistPath));
        var dict = plist.Root!.Element("dict")!.Elements().ToList();
        string ValueOf(string key) => dict[dict.FindIndex(e => e.Name == "key" && e.Value == key) + 1].Value;
        Assert.Equal("com.cast2md.node", ValueOf("Label"));
        Assert.Equal($"{installer.State}/node.log", ValueOf("StandardOutPath"));
        Assert.Equal("10", ValueOf("ThrottleInterval"));
        Assert.Equal(
            [$"{installer.State}/bin/cast2md", "node", "start", "--no-browser"],
            dict[dict.FindIndex(e => e.Value == "ProgramArguments") + 1].Elements("string").Select(s => s.Value)
        );
        Assert.DoesNotContain("NODE_PERSISTENT", installer.Read(plistPath));
        Assert.Contains($"launchctl load -w {installer.Home}/{plistPath}", installer.Calls());
        Assert.Contains("launchctl load -w", installer.Read(".cast2md/start"));

        // Act: uninstall
        var uninstall = await installer.RunAsync(new Dictionary<string, string?> { ["CAST2MD_OS"] = "darwin" }, "--uninstall", "--unattended");

        // Assert
        Assert.True(uninstall.ExitCode == 0, uninstall.StandardError);
        Assert.Empty(installer.Files());
        Assert.Contains($"launchctl unload {installer.Home}/{plistPath}", installer.Calls());
        Assert.Empty(await NodesAsync(server));
    }

    [Fact(Timeout = 180_000)]
    public async Task I_can_install_from_a_release_archive_on_loopback_as_a_shell_script_and_run_the_node_with_the_helpers()
    {
        // Arrange: a release archive of ./bin (cast2md/ with the binary and libraries), served on loopback
        using var installer = Installer.Create();
        using var data = TempDir.Create();
        await using var server = await ServeProcess.StartAsync(data.Path, DistributedServer);
        var release = Directory.CreateDirectory(installer.Dir.Combine("release")).FullName;
        var archive = Path.Combine(release, "cast2md-linux-x64.tar.gz");
        await WriteArchiveAsync(Path.Combine(Paths.RepoRoot, "bin"), archive);
        await WriteChecksumsAsync(release);
        using var http = ServeDirectory(release, out var baseUrl);

        // Act: http is allowed only with --insecure, and only from loopback
        var install = await installer.RunAsync(
            Node(server.BaseUrl, "scripted", service: "script"),
            "--unattended",
            "--insecure",
            "--archive",
            baseUrl + "cast2md-linux-x64.tar.gz"
        );

        // Assert: the runner and helpers, no unit, no service calls
        Assert.True(install.ExitCode == 0, install.StandardError);
        Assert.Equal(
            [
                ".cast2md",
                ".cast2md/bin",
                ".cast2md/install-node.conf",
                ".cast2md/logs",
                ".cast2md/node.json",
                ".cast2md/restart",
                ".cast2md/run-node",
                ".cast2md/start",
                ".cast2md/status",
                ".cast2md/stop",
            ],
            installer.Files()
        );
        Assert.Empty(installer.Calls());
        Assert.Contains("export NODE_PERSISTENT=1", installer.Read(".cast2md/run-node"));

        // Act: start it in the background with the helper; it comes online
        var helperEnvironment = new Dictionary<string, string?>
        {
            ["HOME"] = installer.Home,
            ["NODE_PORT"] = "0",
            ["NODE_HEARTBEAT_INTERVAL_SECONDS"] = "1",
        };
        var start = await Helper(installer, "start", helperEnvironment);
        await Eventually.TrueAsync(
            () => NodesAsync(server).Result.Single().GetProperty("status").GetString() == "online",
            TimeSpan.FromSeconds(30),
            "the scripted node to come online"
        );
        var status = await Helper(installer, "status", helperEnvironment);
        var stop = await Helper(installer, "stop", helperEnvironment);

        // Assert
        Assert.True(start.ExitCode == 0, start.StandardError);
        Assert.Contains("running (pid", status.StandardOutput);
        Assert.Contains("scripted", status.StandardOutput);
        Assert.Contains("stopped", stop.StandardOutput);
        Assert.Contains("node status on http://", installer.Read(".cast2md/node.log"));

        // Act: uninstall
        var uninstall = await installer.RunAsync("--uninstall", "--unattended");

        // Assert
        Assert.True(uninstall.ExitCode == 0, uninstall.StandardError);
        Assert.Empty(installer.Files());
        Assert.Empty(await NodesAsync(server));
    }

    [Fact(Timeout = 120_000)]
    public async Task I_can_install_the_server_as_a_service_and_uninstall_it_keeping_only_its_data_unless_purged()
    {
        // Arrange
        using var installer = Installer.Create();

        // Act
        var install = await installer.RunAsync(
            new Dictionary<string, string?> { ["CAST2MD_REGISTRATION_TOKEN"] = "s3cret" },
            "--server",
            "--unattended",
            "--distributed",
            "--host",
            "0.0.0.0",
            "--port",
            "8123"
        );

        // Assert
        Assert.True(install.ExitCode == 0, install.StandardError);
        Assert.Equal(
            [
                ".cast2md",
                ".cast2md/bin",
                ".cast2md/install-server.conf",
                ".cast2md/server-logs",
                ".cast2md/server-restart",
                ".cast2md/server-start",
                ".cast2md/server-status",
                ".cast2md/server-stop",
                ".cast2md/server.env",
                ".config",
                ".config/systemd",
                ".config/systemd/user",
                ".config/systemd/user/cast2md-server.service",
            ],
            installer.Files()
        );
        var unit = installer.Read(".config/systemd/user/cast2md-server.service");
        Assert.Contains($"ExecStart={installer.State}/bin/cast2md serve --host 0.0.0.0 --port 8123", unit);
        Assert.Contains($"EnvironmentFile=-{installer.State}/server.env", unit);
        Assert.Contains("DISTRIBUTED_TRANSCRIPTION_ENABLED=true", installer.Read(".cast2md/server.env"));
        Assert.Contains("CAST2MD_REGISTRATION_TOKEN=s3cret", installer.Read(".cast2md/server.env"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, installer.ModeOf(".cast2md/server.env"));
        Assert.Contains("systemctl --user restart cast2md-server.service", installer.Calls());
        await VerifyUnitAsync(Path.Combine(installer.Home, ".config/systemd/user/cast2md-server.service"));

        // Act: the server's data appears, then an uninstall without and one with --purge
        Directory.CreateDirectory(Path.Combine(installer.State, "data"));
        await File.WriteAllTextAsync(Path.Combine(installer.State, "data", "cast2md.db"), "");
        var uninstall = await installer.RunAsync("--server", "--uninstall", "--unattended");
        var kept = installer.Files();
        await installer.RunAsync("--server", "--unattended");
        var purge = await installer.RunAsync("--server", "--uninstall", "--unattended", "--purge");

        // Assert
        Assert.True(uninstall.ExitCode == 0, uninstall.StandardError);
        Assert.Equal([".cast2md", ".cast2md/data", ".cast2md/data/cast2md.db"], kept);
        Assert.True(purge.ExitCode == 0, purge.StandardError);
        Assert.Empty(installer.Files());
    }

    [Fact(Timeout = 60_000)]
    public async Task I_can_not_install_a_node_unattended_without_a_server_url_and_nothing_is_left_behind()
    {
        // Arrange
        using var installer = Installer.Create();

        // Act
        var result = await installer.RunAsync("--unattended");

        // Assert
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("CAST2MD_SERVER_URL", result.StandardError);
        Assert.Empty(installer.Files());
    }

    [Fact(Timeout = 60_000)]
    public async Task I_can_check_install_sh_with_shellcheck_and_it_is_clean()
    {
        // Act
        var result = await Installer.ToolAsync("shellcheck", Path.Combine(Paths.RepoRoot, "install.sh"));

        // Assert (shellcheck is installed by scripts/install-deps.sh; where it is missing the check is left out)
        if (result is not null)
            Assert.True(result.ExitCode == 0, result.StandardOutput);
    }

    private static async Task VerifyUnitAsync(string unitFile)
    {
        // systemd-analyze comes with the systemd package (scripts/install-deps.sh); where it is missing the check is left out
        var result = await Installer.ToolAsync("systemd-analyze", "verify", unitFile);
        if (result is not null)
            Assert.True(result.ExitCode == 0, result.StandardError + result.StandardOutput);
    }

    private static Task<BufferedCommandResult> Helper(Installer installer, string name, IReadOnlyDictionary<string, string?> environment) =>
        Cli.Wrap(Path.Combine(installer.State, name))
            .WithEnvironmentVariables(environment)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();

    internal static async Task<List<JsonElement>> NodesAsync(ServeProcess server)
    {
        using var http = server.Client();
        using var document = JsonDocument.Parse(await http.GetStringAsync("/api/nodes"));
        return [.. document.RootElement.GetProperty("nodes").EnumerateArray().Select(n => n.Clone())];
    }

    /// <summary>A .tar.gz with cast2md/ holding what <paramref name="folder"/> holds (symbolic links kept).</summary>
    internal static async Task WriteArchiveAsync(string folder, string archive)
    {
        await using var file = File.Create(archive);
        await using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        await using var tar = new TarWriter(gzip, TarEntryFormat.Pax);
        foreach (var path in Directory.EnumerateFileSystemEntries(folder).Order(StringComparer.Ordinal))
        {
            var info = new FileInfo(path);
            var name = "cast2md/" + info.Name;
            if (info.LinkTarget is { } target)
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target });
            else if (info.Exists)
                await tar.WriteEntryAsync(path, name);
        }
    }

    /// <summary>SHA256SUMS for every .tar.gz in <paramref name="folder"/>, as <c>make dist</c> writes it.</summary>
    internal static async Task WriteChecksumsAsync(string folder)
    {
        var lines = new List<string>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.tar.gz").Order(StringComparer.Ordinal))
        {
            await using var stream = File.OpenRead(file);
            lines.Add($"{Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(stream))}  {Path.GetFileName(file)}");
        }
        await File.WriteAllLinesAsync(Path.Combine(folder, "SHA256SUMS"), lines);
    }

    /// <summary>Serves the files of one folder on a free loopback port until disposed (404 for anything else).</summary>
    internal static HttpListener ServeDirectory(string folder, out string baseUrl)
    {
        var port = ServeProcess.FreePort();
        var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        baseUrl = $"http://127.0.0.1:{port}/";
        _ = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                try
                {
                    var context = await listener.GetContextAsync();
                    var file = Path.Combine(folder, Path.GetFileName(context.Request.Url!.AbsolutePath));
                    if (File.Exists(file))
                    {
                        await using var body = File.OpenRead(file);
                        await body.CopyToAsync(context.Response.OutputStream);
                    }
                    else
                    {
                        context.Response.StatusCode = 404;
                    }
                    context.Response.Close();
                }
                catch (Exception) when (!listener.IsListening)
                {
                    return;
                }
            }
        });
        return listener;
    }
}
