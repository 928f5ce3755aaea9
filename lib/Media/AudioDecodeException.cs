using Cast2md.Errors;

namespace Cast2md.Media;

/// <summary>An input file cannot be decoded: it is missing, empty, or not audio ffmpeg can read.</summary>
public class AudioDecodeException(string path, string message, string? standardErrorTail = null, Exception? innerException = null)
    : Cast2mdException(message, innerException)
{
    /// <summary>The input file as the caller named it.</summary>
    public string FilePath { get; } = path;

    /// <summary>The last lines ffmpeg wrote to stderr, when it ran.</summary>
    public string? StandardErrorTail { get; } = standardErrorTail;
}
