using CliWrap;
using CliWrap.Buffered;
using Cast2md.Tests.Infra;

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
        Cli.Wrap("bash")
            .WithArguments([Script, .. arguments])
            .WithWorkingDirectory(Dir.Path)
            .WithEnvironmentVariables(env =>
            {
                env.Set("HOME", Home).Set("PATH", Stubs + ":" + Environment.GetEnvironmentVariable("PATH"))
                   .Set("XDG_CONFIG_HOME", null).Set("CAST2MD_NODE_CONFIG", null).Set("CAST2MD_DATA_DIR", null)
                   .Set("CAST2MD_PREFIX", null).Set("CAST2MD_SERVER_URL", null).Set("CAST2MD_NODE_NAME", null)
                   .Set("CAST2MD_SERVICE", null).Set("CAST2MD_OS", null).Set("CAST2MD_ARCHIVE_URL", null).Set("CAST2MD_FROM_BUILD", null);
                if (environment is not null)
                    env.Set(environment);
            })
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();

    public Task<BufferedCommandResult> RunAsync(params string[] arguments) => RunAsync(null, arguments);

    /// <summary>Every file and folder under HOME, relative, '/'-separated, sorted; bin/ contents summarised as "bin/*".</summary>
    public IReadOnlyList<string> Files()
    {
        var all = Directory.EnumerateFileSystemEntries(Home, "*", SearchOption.AllDirectories)
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

    public void Dispose() => Dir.Dispose();
}
