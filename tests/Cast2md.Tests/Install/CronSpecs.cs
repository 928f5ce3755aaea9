using System.Text.RegularExpressions;
using Cast2md.Tests.Infra;
using CliWrap;
using CliWrap.Buffered;
using Xunit;

namespace Cast2md.Tests.Install;

/// <summary>The README's crontab lines, run as cron runs them: no terminal (setsid), stdin from /dev/null, a bare environment.</summary>
[Collection(RealProcessesCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed class CronSpecs
{
    [Fact(Timeout = 120_000)]
    public async Task I_can_run_the_readme_crontab_lines_without_a_terminal_and_a_second_overlapping_run_exits_75()
    {
        // Arrange: the binary installed where the crontab lines expect it (~/.cast2md/bin), by install.sh
        using var installer = Installer.Create();
        var server = await installer.RunAsync(new Dictionary<string, string?> { ["CAST2MD_SERVICE"] = "manual" }, "--server", "--unattended");
        Assert.True(server.ExitCode == 0, server.StandardError);
        var lines = CrontabLines();
        Assert.Equal(2, lines.Count);

        // Act
        var results = new List<BufferedCommandResult>();
        foreach (var line in lines)
            results.Add(await AsCronAsync(installer.Home, line));
        var lockFile = Path.Combine(installer.State, "data", "locks", "feed-refresh.lock");
        BufferedCommandResult overlapping;
        await using (new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
            overlapping = await AsCronAsync(installer.Home, lines[0] + "; echo exit=$? >> \"$HOME/.cast2md/cron.log\"");

        // Assert
        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.StandardError));
        var log = await File.ReadAllTextAsync(Path.Combine(installer.State, "cron.log"));
        Assert.DoesNotContain("\u001b[", log);
        Assert.Contains("exit=75", log);
        Assert.Contains("still running", log);
    }

    /// <summary>The command part of each crontab line in the README's ```cron block.</summary>
    private static List<string> CrontabLines()
    {
        var readme = File.ReadAllText(Path.Combine(Paths.RepoRoot, "README.md"));
        var block = Regex.Match(readme, "```cron\n(.*?)```", RegexOptions.Singleline).Groups[1].Value;
        return [.. block.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => Regex.Replace(l, @"^(\S+\s+){5}", ""))];
    }

    private static Task<BufferedCommandResult> AsCronAsync(string home, string command) =>
        Cli.Wrap("setsid")
            .WithArguments(["-w", "env", "-i", $"HOME={home}", "PATH=/usr/bin:/bin", "SHELL=/bin/sh", "/bin/sh", "-c", "exec </dev/null; " + command])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
}
