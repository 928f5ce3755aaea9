namespace Cast2md.Cli.Progress;

/// <summary>
/// The one redrawn status line on a terminal's stderr. Log lines clear it first so a bar never
/// ends up glued to a message.
/// </summary>
internal static class ProgressLine
{
    private static int _drawnLength;

    /// <summary>Call with the log lock held.</summary>
    public static void ClearIfDrawn()
    {
        if (_drawnLength == 0)
            return;
        Console.Error.Write('\r' + new string(' ', _drawnLength) + '\r');
        _drawnLength = 0;
    }

    /// <summary>Call with the log lock held.</summary>
    public static void Draw(string text)
    {
        var padding = Math.Max(0, _drawnLength - text.Length);
        Console.Error.Write('\r' + text + new string(' ', padding));
        Console.Error.Flush();
        _drawnLength = text.Length;
    }

    /// <summary>Call with the log lock held.</summary>
    public static void Finish()
    {
        if (_drawnLength == 0)
            return;
        Console.Error.WriteLine();
        _drawnLength = 0;
    }
}
