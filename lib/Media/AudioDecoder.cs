using System.ComponentModel;
using System.Globalization;
using CliWrap;
using CliWrap.Buffered;

namespace Cast2md.Media;

/// <summary>
/// Decodes any file ffmpeg can read to 16 kHz mono float PCM, streamed from ffmpeg's stdout straight
/// into memory (no temporary WAV) and cut into bounded, silence-aligned chunks.
/// </summary>
public sealed partial class AudioDecoder(FfmpegOptions options)
{
    /// <summary>Sample rate of every decoded chunk (what whisper expects).</summary>
    public const int SampleRate = 16000;

    /// <summary>How long ffprobe may take before the duration counts as unknown.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The tools used.</summary>
    public FfmpegOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>
    /// The container's duration as ffprobe reports it, or null when unknown (no duration, ffprobe missing,
    /// failing or timing out). Throws <see cref="AudioDecodeException"/> only when the file does not exist (or is a directory).
    /// </summary>
    public async Task<TimeSpan?> ProbeDurationAsync(string path, CancellationToken cancellationToken = default)
    {
        var fullPath = CheckInputFile(path, allowEmpty: true);
        if (new FileInfo(fullPath).Length == 0)
            return null;

        string? demuxer;
        try
        {
            demuxer = MediaInput.Demuxer(fullPath);
        }
        catch (AudioDecodeException)
        {
            return null; // a playlist: decoding refuses it with the reason; ffprobe must not open what it names
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            var result = await Cli.Wrap(Options.FfprobePath)
                .WithArguments([
                    "-v",
                    "error",
                    .. MediaInput.InputOptions(demuxer),
                    "-show_entries",
                    "format=duration",
                    "-of",
                    "default=noprint_wrappers=1:nokey=1",
                    fullPath,
                ])
                .WithStandardInputPipe(PipeSource.Null)
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(timeout.Token)
                .ConfigureAwait(false);

            if (result.ExitCode != 0)
                return null;
            return ParseDuration(result.StandardOutput);
        }
        catch (Win32Exception)
        {
            return null; // ffprobe missing: the duration is merely unknown; decoding reports a missing ffmpeg
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null; // timed out
        }
    }

    internal static TimeSpan? ParseDuration(string ffprobeOutput)
    {
        var line = ffprobeOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (line is null || !double.TryParse(line, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            return null;
        if (!double.IsFinite(seconds) || seconds < 0 || seconds > TimeSpan.MaxValue.TotalSeconds / 2)
            return null;
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>Returns the full path of an existing, non-empty file, or throws <see cref="AudioDecodeException"/>.</summary>
    private static string CheckInputFile(string path, bool allowEmpty = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);
        if (Directory.Exists(fullPath))
            throw new AudioDecodeException(path, $"Cannot decode '{path}': it is a directory, not an audio file.");
        if (!File.Exists(fullPath))
            throw new AudioDecodeException(path, $"Cannot decode '{path}': the file does not exist.");
        if (!allowEmpty && new FileInfo(fullPath).Length == 0)
            throw new AudioDecodeException(path, $"Cannot decode '{path}': the file is empty (0 bytes).");

        try
        {
            using (File.OpenHandle(fullPath)) { }
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new AudioDecodeException(path, $"Cannot decode '{path}': the file cannot be read ({ex.Message}).", innerException: ex);
        }

        return fullPath;
    }
}
