namespace Cast2md.Cli.Infrastructure;

/// <summary>
/// Rewrites the original (Python) cast2md's short options where ours would read them differently, so the command
/// lines in its service files, cron tables and notes keep doing what they did. Only spellings that cannot mean anything
/// else here are rewritten; everything else reaches the parser unchanged.
/// </summary>
internal static class OriginalCommandLine
{
    public static string[] Translate(string[] args)
    {
        if (args.Length < 2)
            return args;
        var result = new List<string>(args.Length) { args[0] };
        for (var i = 1; i < args.Length; i++)
        {
            var arg = args[i];
            var next = i + 1 < args.Length ? args[i + 1] : null;
            // `serve -h 0.0.0.0` was the original's --host. Read as help it would print the usage and exit 0, and a
            // service file would "succeed" without ever serving. `-h` with no value after it still asks for help.
            if (args[0] is "serve" or "mcp" && arg == "-h" && next is not null && !next.StartsWith('-'))
                result.Add("--host");
            // The original's `transcribe EPISODE_ID -t` and `process EPISODE_ID -t` meant --timestamps. For a file, -t
            // stays --threads (as whisper-cli's): it is only rewritten when an episode id is given or no number follows.
            else if (arg == "-t" && (args[0] == "process" || (args[0] == "transcribe" && (AllDigits(args[1]) || !AllDigits(next)))))
                result.Add("--timestamps");
            else
                result.Add(arg);
        }
        return [.. result];
    }

    /// <summary>An episode id (as the first argument) or a thread count (after -t).</summary>
    private static bool AllDigits(string? value) => value is { Length: > 0 } && value.All(char.IsAsciiDigit);
}
