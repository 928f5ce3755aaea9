using System.Text.Json;
using Cast2md.Cli.Progress;
using Cast2md.Json;
using Cast2md.Transcription;

namespace Cast2md.Cli.Infrastructure;

/// <summary>
/// Diagnostics go to stderr so stdout carries only results. In JSON mode (<c>--progress json</c>) every
/// stderr line is a JSON object, so a parent process (a node) can parse the stream line by line.
/// </summary>
internal static class Log
{
    private static readonly Lock Gate = new();

    public static bool IsJson { get; set; }

    public static bool IsVerbose { get; set; }

    public static void Debug(string message)
    {
        if (IsVerbose)
            Write("debug", message);
    }

    public static void Info(string message) => Write("info", message);

    public static void Warn(string message) => Write("warning", message);

    public static void Error(string message) => Write("error", message);

    /// <summary>The reason a command fails: a plain error line, or in JSON mode an "error" event with its kind.</summary>
    public static void Failure(string message, string kind)
    {
        if (!IsJson)
        {
            Error(message);
            return;
        }
        var line = JsonSerializer.Serialize(new ErrorEvent("error", message, kind), Cast2mdJsonContext.Default.ErrorEvent);
        lock (Gate)
            Console.Error.WriteLine(line);
    }

    /// <summary>Writes one raw line to stderr under the same lock as log lines (progress output).</summary>
    public static void WriteRaw(string text)
    {
        lock (Gate)
        {
            Console.Error.Write(text);
            Console.Error.Flush();
        }
    }

    /// <summary>Runs terminal drawing under the log lock so lines never interleave.</summary>
    public static void Locked(Action draw)
    {
        lock (Gate)
            draw();
    }

    private static void Write(string level, string message)
    {
        var line =
            IsJson ? JsonSerializer.Serialize(new LogEvent("log", level, message), Cast2mdJsonContext.Default.LogEvent)
            : level == "info" ? message
            : $"{level}: {message}";
        lock (Gate)
        {
            ProgressLine.ClearIfDrawn();
            Console.Error.WriteLine(line);
        }
    }
}
