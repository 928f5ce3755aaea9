using Cast2md.Tests.Infra;
using CliWrap;
using CliWrap.Buffered;

namespace Cast2md.Tests.Install;

/// <summary>
/// Runs install.ps1 with PowerShell 7 (pwsh) on this machine, unattended, with a temporary HOME and a recorder in place of
/// every call only Windows can make: CAST2MD_PLATFORM_STUB names a script that writes each operation and its arguments
/// as one line of <see cref="CallsLog"/> (outside HOME).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class PowerShellInstaller : IDisposable
{
    private PowerShellInstaller(TempDir dir)
    {
        Dir = dir;
        Home = dir.Combine("home");
        CallsLog = dir.Combine("calls.log");
        Recorder = dir.Combine("windows-calls");
        Directory.CreateDirectory(Home);
        File.WriteAllText(Recorder, $"#!/bin/sh\necho \"$*\" >> '{CallsLog}'\n");
        File.SetUnixFileMode(Recorder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public TempDir Dir { get; }
    public string Home { get; }
    public string CallsLog { get; }
    public string Recorder { get; }
    public string State => Path.Combine(Home, ".cast2md");

    public static PowerShellInstaller Create() => new(TempDir.Create());

    /// <summary>
    /// pwsh, from PATH or where <c>dotnet tool install --global</c> puts it. Missing, it fails the spec: make deps installs it,
    /// so a run without it has not run what it claims.
    /// </summary>
    public static string Pwsh => FindPwsh();

    /// <summary>pwsh -File SCRIPT ARGS (the repository's install.ps1 unless given), stdin an empty pipe, cwd outside the repo; PowerShell's own caches outside HOME.</summary>
    public Task<BufferedCommandResult> RunScriptAsync(IReadOnlyDictionary<string, string?>? environment, string script, params string[] arguments) =>
        PwshAsync(environment, ["-NoProfile", "-NonInteractive", "-File", script, .. arguments]);

    public Task<BufferedCommandResult> RunAsync(IReadOnlyDictionary<string, string?>? environment, params string[] arguments) =>
        RunScriptAsync(environment, Path.Combine(Paths.RepoRoot, "install.ps1"), arguments);

    public Task<BufferedCommandResult> CommandAsync(string command, IReadOnlyDictionary<string, string?>? environment = null) =>
        PwshAsync(environment, ["-NoProfile", "-NonInteractive", "-Command", command]);

    private Task<BufferedCommandResult> PwshAsync(IReadOnlyDictionary<string, string?>? environment, string[] arguments) =>
        Cli.Wrap(Pwsh)
            .WithArguments(arguments)
            .WithWorkingDirectory(Dir.Path)
            .WithEnvironmentVariables(env =>
            {
                env.Set("HOME", Home)
                    .Set("CAST2MD_PLATFORM_STUB", Recorder)
                    .Set("XDG_CONFIG_HOME", Dir.Combine("xdg-config"))
                    .Set("XDG_CACHE_HOME", Dir.Combine("xdg-cache"))
                    .Set("XDG_DATA_HOME", Dir.Combine("xdg-data"))
                    .Set("POWERSHELL_TELEMETRY_OPTOUT", "1")
                    .Set("POWERSHELL_UPDATECHECK", "Off")
                    .Set("CAST2MD_NODE_CONFIG", null)
                    .Set("CAST2MD_PREFIX", null)
                    .Set("CAST2MD_SERVER_URL", null)
                    .Set("CAST2MD_NODE_NAME", null)
                    .Set("CAST2MD_SERVICE", null)
                    .Set("CAST2MD_ARCHIVE_URL", null)
                    .Set("CAST2MD_FROM_BUILD", null)
                    .Set("CAST2MD_RELEASE_BASE", null)
                    .Set("CAST2MD_UNATTENDED", null)
                    .Set("CAST2MD_REGISTRATION_TOKEN", null)
                    .Set("CAST2MD_AUTO_TERMINATE", null);
                if (environment is not null)
                    env.Set(environment);
            })
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();

    /// <summary>Every file and folder under HOME, relative, '/'-separated, sorted; bin/ contents left out.</summary>
    public IReadOnlyList<string> Files() =>
        [
            .. Directory
                .EnumerateFileSystemEntries(Home, "*", SearchOption.AllDirectories)
                .Select(p => Path.GetRelativePath(Home, p).Replace('\\', '/'))
                .Where(p => !p.StartsWith(".cast2md/bin/", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal),
        ];

    public IReadOnlyList<string> Calls() => File.Exists(CallsLog) ? File.ReadAllLines(CallsLog) : [];

    public void ForgetCalls() => File.Delete(CallsLog);

    public string Read(string relative) => File.ReadAllText(Path.Combine(Home, relative));

    public void Dispose() => Dir.Dispose();

    private static string FindPwsh()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools"))
            .Select(d => Path.Combine(d, "pwsh"));
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                "pwsh (PowerShell 7) is not installed, so install.ps1 cannot be run: `make deps` (scripts/install-deps.sh) installs it "
                    + "with `dotnet tool install --global PowerShell --version 7.6.10` into ~/.dotnet/tools"
            );
    }
}
