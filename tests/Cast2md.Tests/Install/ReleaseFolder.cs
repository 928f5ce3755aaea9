using System.Runtime.InteropServices;
using Cast2md.Tests.Infra;
using CliWrap;
using CliWrap.Buffered;
using Xunit;

namespace Cast2md.Tests.Install;

/// <summary>A release folder as <c>make dist</c> writes it (scripts/dist.sh over ./bin, or ./bin-node for the node edition).</summary>
internal static class ReleaseFolder
{
    /// <summary>This machine's Linux runtime identifier, as the archives are named.</summary>
    public static string Rid => "linux-" + (RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "x64");

    /// <summary>Adds this build's archive (and SHA256SUMS and the installers) to <paramref name="folder"/>; fails the spec when dist.sh does.</summary>
    public static async Task WriteAsync(string folder, string? flavour = null, bool nodeEdition = false)
    {
        var environment = nodeEdition ? new Dictionary<string, string?> { ["BIN"] = "bin-node", ["EDITION"] = "node" } : [];
        var dist = await Cli.Wrap("bash")
            .WithArguments([Path.Combine(Paths.RepoRoot, "scripts", "dist.sh"), folder, Rid, .. flavour is null ? Array.Empty<string>() : [flavour]])
            .WithEnvironmentVariables(environment)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        Assert.True(dist.ExitCode == 0, dist.StandardError);
    }

    /// <summary>The version ./bin/cast2md was built with: the first line of its --version.</summary>
    public static async Task<string> PublishedVersionAsync() =>
        (await Cli.Wrap(Paths.PublishedBinary).WithArguments("--version").ExecuteBufferedAsync()).StandardOutput.Split('\n')[0].Trim();
}
