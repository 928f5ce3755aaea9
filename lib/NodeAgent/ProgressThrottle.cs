namespace Cast2md.NodeAgent;

/// <summary>Which progress values are worth a request: the first, then every +5 % or every 5 s (as the original), and 100.</summary>
public sealed class ProgressThrottle(TimeProvider? timeProvider = null)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    public const double Step = 5;

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private double? _lastPercent;
    private DateTimeOffset _lastAt;

    /// <summary>True when <paramref name="percent"/> should be sent now (and remembers it as sent).</summary>
    public bool ShouldReport(double percent)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (_lastPercent is { } last && percent < last + Step && now - _lastAt < Interval && !(percent >= 100 && last < 100))
                return false;
            if (_lastPercent is { } same && percent <= same)
                return false; // nothing new to say, however long it has been
            _lastPercent = percent;
            _lastAt = now;
            return true;
        }
    }
}
