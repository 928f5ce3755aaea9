using CliWrap;
using CliWrap.Buffered;

namespace Cast2md.Tests.Infra;

/// <summary>Generates test audio with the real ffmpeg (lavfi sources) at test time.</summary>
public static class AudioFiles
{
    public static async Task<string> GenerateAsync(string path, string lavfiSource, double seconds, params string[] extraArguments)
    {
        var result = await Cli.Wrap("ffmpeg")
            .WithArguments(["-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", lavfiSource, "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), .. extraArguments, path])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"ffmpeg could not generate {path}: {result.StandardError}");
        return path;
    }

    public static Task<string> SilenceAsync(string path, double seconds) => GenerateAsync(path, "anullsrc=r=16000:cl=mono", seconds);

    public static Task<string> NoiseAsync(string path, double seconds) => GenerateAsync(path, "anoisesrc=r=16000:a=0.3:c=pink", seconds);
}
