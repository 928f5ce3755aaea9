using Cast2md.Tests.Infra;
using CliWrap;
using CliWrap.Buffered;
using Xunit;

namespace Cast2md.Tests.Install;

/// <summary>The container images, built and run with scripts/images.sh's engine (podman, else docker).</summary>
internal static class Images
{
    private static string Script => Path.Combine(Paths.RepoRoot, "scripts", "images.sh");

    /// <summary>Why no image can be built here (neither podman nor docker answers), or null.</summary>
    public static string? WhyNot { get; } = FindWhyNot();

    public static string Engine { get; } =
        WhyNot is null
            ? Cli.Wrap("bash").WithArguments([Script, "--engine"]).ExecuteBufferedAsync().GetAwaiter().GetResult().StandardOutput.Trim()
            : "podman";

    /// <summary>Builds one image (server, node) from ./bin; returns the flags `run` needs with this engine here.</summary>
    public static async Task<string[]> BuildAsync(string image)
    {
        var build = await Cli.Wrap("bash").WithArguments([Script, image]).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        Assert.True(build.ExitCode == 0, build.StandardError[^Math.Min(4000, build.StandardError.Length)..]);
        var flags = await Cli.Wrap("bash").WithArguments([Script, "--run-flags"]).ExecuteBufferedAsync();
        return flags.StandardOutput.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>ENGINE run --network host FLAGS ARGS (the container shares the host's loopback).</summary>
    public static Task<BufferedCommandResult> RunAsync(string[] flags, params string[] arguments) =>
        Cli.Wrap(Engine)
            .WithArguments(["run", "--network", "host", .. flags, .. arguments])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();

    public static async Task<string> LogsAsync(string container) =>
        (await Cli.Wrap(Engine).WithArguments(["logs", container]).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync()) is var r
            ? r.StandardOutput + r.StandardError
            : "";

    public static Task RemoveAsync(string container) =>
        Cli.Wrap(Engine).WithArguments(["rm", "-f", container]).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();

    public static async Task<long> SizeAsync(string image) =>
        long.Parse(
            (await Cli.Wrap(Engine).WithArguments(["image", "inspect", image, "--format", "{{.Size}}"]).ExecuteBufferedAsync()).StandardOutput.Trim(),
            System.Globalization.CultureInfo.InvariantCulture
        );

    private static string? FindWhyNot()
    {
        var check = Cli.Wrap("bash")
            .WithArguments([Script, "--check"])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync()
            .GetAwaiter()
            .GetResult();
        return check.ExitCode == 0 ? null : "no container engine can build images here: " + check.StandardOutput.Trim() + check.StandardError.Trim();
    }
}

/// <summary>A fact skipped, with the reason, only where neither podman nor docker can build an image.</summary>
public sealed class ImageFactAttribute : FactAttribute
{
    public ImageFactAttribute()
    {
        if (Images.WhyNot is { } reason)
            Skip = reason;
    }
}
