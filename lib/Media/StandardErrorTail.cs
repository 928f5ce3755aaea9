namespace Cast2md.Media;

/// <summary>Keeps the last few non-empty lines a tool wrote to stderr (thread-safe).</summary>
internal sealed class StandardErrorTail(int maxLines = 20)
{
    private readonly Queue<string> _lines = new();
    private readonly Lock _lock = new();

    public void Add(string line)
    {
        if (string.IsNullOrWhiteSpace(line))
            return;
        lock (_lock)
        {
            _lines.Enqueue(line.Trim());
            while (_lines.Count > maxLines)
                _lines.Dequeue();
        }
    }

    public string? LastLine
    {
        get
        {
            lock (_lock)
                return _lines.Count > 0 ? _lines.Last() : null;
        }
    }

    /// <summary>The kept lines joined by newlines, or null when stderr was empty.</summary>
    public string? Text
    {
        get
        {
            lock (_lock)
                return _lines.Count > 0 ? string.Join('\n', _lines) : null;
        }
    }

    public bool Contains(string fragment)
    {
        lock (_lock)
            return _lines.Any(l => l.Contains(fragment, StringComparison.OrdinalIgnoreCase));
    }
}
