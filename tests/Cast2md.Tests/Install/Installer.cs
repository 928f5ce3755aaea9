using Cast2md.Tests.Infra;
using CliWrap;
using CliWrap.Buffered;

namespace Cast2md.Tests.Install;

/// <summary>
/// Runs the repository's install.sh unattended with a temporary HOME and stand-ins for systemctl, loginctl and launchctl
/// on PATH that only record their arguments (one call per line in <see cref="CallsLog"/>, outside HOME).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class Installer : IDisposable
{
    private Installer(TempDir dir)
    {
        Dir = dir;
        Home = dir.Combine("home");
        Stubs = dir.Combine("stubs");
        CallsLog = dir.Combine("calls.log");
        Directory.CreateDirectory(Home);
        Directory.CreateDirectory(Stubs);
        foreach (var tool in new[] { "systemctl", "loginctl", "launchctl" })
        {
            var stub = Path.Combine(Stubs, tool);
            File.WriteAllText(stub, $"#!/bin/sh\necho \"{tool} $*\" >> '{CallsLog}'\n");
            File.SetUnixFileMode(stub, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public TempDir Dir { get; }
    public string Home { get; }
    public string Stubs { get; }
    public string CallsLog { get; }
    public string State => Path.Combine(Home, ".cast2md");
    public string Script => Path.Combine(Paths.RepoRoot, "install.sh");

    public static Installer Create() => new(TempDir.Create());

    /// <summary>bash install.sh ARGS with stdin from an empty pipe, no terminal, HOME and PATH set, cwd outside the repo.</summary>
    public Task<BufferedCommandResult> RunAsync(IReadOnlyDictionary<string, string?>? environment, params string[] arguments) =>
        BashAsync(environment, [Script, .. arguments]);

    /// <summary>bash -c LINE (a README's one-liner) as <see cref="RunAsync(IReadOnlyDictionary{string, string?}?, string[])"/> runs install.sh.</summary>
    public Task<BufferedCommandResult> RunLineAsync(IReadOnlyDictionary<string, string?>? environment, string line) =>
        BashAsync(environment, ["-c", line]);

    /// <summary>
    /// Makes the systemctl stand-in also do what a user systemd does with the installed unit on start, restart, stop and
    /// disable --now: run its ExecStart in WorkingDirectory with its Environment= lines, output appended to its
    /// StandardOutput file. The process inherits the caller's environment (a real user unit would not); its pid is in
    /// stubs/UNIT.pid, and <see cref="Dispose"/> stops it.
    /// </summary>
    public void RunUnitsLikeSystemd()
    {
        var stub = Path.Combine(Stubs, "systemctl");
        File.WriteAllText(
            stub,
            $$"""
            #!/bin/sh
            echo "systemctl $*" >> '{{CallsLog}}'
            [ "$1" = --user ] && shift
            verb=$1; shift
            [ "$verb" = disable ] && [ "$1" = --now ] && { verb=stop; shift; }
            unit=${1%.service}
            [ -n "$unit" ] || exit 0
            file="${XDG_CONFIG_HOME:-$HOME/.config}/systemd/user/$unit.service"
            pidfile='{{Stubs}}'/$unit.pid
            stop() { if [ -f "$pidfile" ]; then pid=$(cat "$pidfile"); kill "$pid" 2>/dev/null; while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done; rm -f "$pidfile"; fi; }
            case "$verb" in
              stop) stop ;;
              start|restart)
                [ "$verb" = restart ] && stop
                if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then exit 0; fi
                command=$(sed -n 's/^ExecStart=//p' "$file"); log=$(sed -n 's/^StandardOutput=append://p' "$file")
                variables=$(sed -n 's/^Environment=//p' "$file"); dir=$(sed -n 's/^WorkingDirectory=//p' "$file")
                cd "$dir" || exit 1
                # shellcheck disable=SC2086 # the unit's words, as systemd splits them (no quoting in these units)
                env $variables $command >> "$log" 2>&1 < /dev/null &
                echo $! > "$pidfile" ;;
            esac
            exit 0
            """.Replace("\r\n", "\n")
        );
    }

    private Task<BufferedCommandResult> BashAsync(IReadOnlyDictionary<string, string?>? environment, string[] arguments) =>
        Cli.Wrap("bash")
            .WithArguments(arguments)
            .WithWorkingDirectory(Dir.Path)
            .WithEnvironmentVariables(env =>
            {
                env.Set("HOME", Home)
                    .Set("PATH", Stubs + ":" + Environment.GetEnvironmentVariable("PATH"))
                    .Set("XDG_CONFIG_HOME", null)
                    .Set("CAST2MD_NODE_CONFIG", null)
                    .Set("CAST2MD_DATA_DIR", null)
                    .Set("CAST2MD_PREFIX", null)
                    .Set("CAST2MD_SERVER_URL", null)
                    .Set("CAST2MD_NODE_NAME", null)
                    .Set("CAST2MD_SERVICE", null)
                    .Set("CAST2MD_OS", null)
                    .Set("CAST2MD_ARCHIVE_URL", null)
                    .Set("CAST2MD_FROM_BUILD", null)
                    .Set("CAST2MD_RELEASE_BASE", null)
                    .Set("CAST2MD_UNATTENDED", null);
                if (environment is not null)
                    env.Set(environment);
            })
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();

    public Task<BufferedCommandResult> RunAsync(params string[] arguments) => RunAsync(null, arguments);

    /// <summary>Every file and folder under HOME, relative, '/'-separated, sorted; bin/ contents summarised as "bin/*".</summary>
    public IReadOnlyList<string> Files()
    {
        var all = Directory
            .EnumerateFileSystemEntries(Home, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(Home, p).Replace('\\', '/'))
            .Where(p => !p.StartsWith(".cast2md/bin/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        return all;
    }

    public IReadOnlyList<string> Calls() => File.Exists(CallsLog) ? File.ReadAllLines(CallsLog) : [];

    public void ForgetCalls() => File.Delete(CallsLog);

    public string Read(string relative) => File.ReadAllText(Path.Combine(Home, relative));

    public UnixFileMode ModeOf(string relative) => File.GetUnixFileMode(Path.Combine(Home, relative));

    /// <summary>Runs a tool on PATH; null when it is not installed here (the check is then left out).</summary>
    public static async Task<BufferedCommandResult?> ToolAsync(string tool, params string[] arguments)
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, tool)));
        if (!onPath)
            return null;
        return await Cli.Wrap(tool).WithArguments(arguments).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
    }

    public void Dispose()
    {
        foreach (var pidFile in Directory.EnumerateFiles(Stubs, "*.pid"))
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(
                    int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture)
                );
                process.Kill();
                process.WaitForExit(10_000);
            }
            catch (Exception e)
                when (e is ArgumentException or InvalidOperationException or FormatException or IOException or System.ComponentModel.Win32Exception)
            { }
        }
        Dir.Dispose();
    }
}
