namespace Cast2md.Errors;

/// <summary>
/// An error the user can act on: its message is printed as-is (no stack trace) and the process exits 1.
/// Anything else that escapes a command is a bug and is printed in full.
/// </summary>
public class Cast2mdException(string message, Exception? innerException = null) : Exception(message, innerException);

/// <summary>An external program (ffmpeg, ffprobe) is missing or failed.</summary>
public class ExternalToolException(
    string tool,
    string message,
    int? exitCode = null,
    string? standardErrorTail = null,
    Exception? innerException = null
) : Cast2mdException(message, innerException)
{
    public string Tool { get; } = tool;
    public int? ExitCode { get; } = exitCode;
    public string? StandardErrorTail { get; } = standardErrorTail;
}
