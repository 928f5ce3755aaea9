namespace Cast2md.Media;

/// <summary>Where to find the ffmpeg and ffprobe executables.</summary>
public sealed record FfmpegOptions
{
    /// <summary>Environment variable that overrides <see cref="FfmpegPath"/>.</summary>
    public const string FfmpegVariable = "CAST2MD_FFMPEG";

    /// <summary>Environment variable that overrides <see cref="FfprobePath"/>.</summary>
    public const string FfprobeVariable = "CAST2MD_FFPROBE";

    /// <summary>The ffmpeg executable: a file name looked up on the PATH, or a path.</summary>
    public string FfmpegPath { get; init; } = "ffmpeg";

    /// <summary>The ffprobe executable: a file name looked up on the PATH, or a path.</summary>
    public string FfprobePath { get; init; } = "ffprobe";

    /// <summary>
    /// The defaults, overridden by <c>CAST2MD_FFMPEG</c> and <c>CAST2MD_FFPROBE</c>. When only
    /// <c>CAST2MD_FFMPEG</c> names a path, an ffprobe next to it is preferred over the one on the PATH.
    /// </summary>
    public static FfmpegOptions Read(Func<string, string?> getVariable) => FromVariables(getVariable(FfmpegVariable), getVariable(FfprobeVariable));

    internal static FfmpegOptions FromVariables(string? ffmpeg, string? ffprobe)
    {
        var options = new FfmpegOptions();
        if (!string.IsNullOrWhiteSpace(ffmpeg))
            options = options with { FfmpegPath = ffmpeg.Trim() };

        if (!string.IsNullOrWhiteSpace(ffprobe))
            return options with { FfprobePath = ffprobe.Trim() };

        // A custom ffmpeg build usually ships its ffprobe in the same folder.
        if (Path.GetDirectoryName(options.FfmpegPath) is { Length: > 0 } dir)
        {
            var sibling = Path.Combine(dir, OperatingSystem.IsWindows() ? "ffprobe.exe" : "ffprobe");
            if (File.Exists(sibling))
                return options with { FfprobePath = sibling };
        }

        return options;
    }
}
