using System.Collections.Concurrent;

namespace Cast2md.NodeRegistry;

/// <summary>
/// How fast each node transcribes, as it reports in its heartbeats: audio seconds per wall-clock second (its real-time
/// factor) per model, over its recent jobs. Kept in memory: a node reports again within one heartbeat after a restart.
/// </summary>
public sealed class NodeSpeeds(TimeProvider? time = null)
{
    /// <summary>A report older than this no longer counts: the node is gone or has stopped transcribing.</summary>
    public static TimeSpan Freshness { get; } = TimeSpan.FromMinutes(10);

    /// <summary>The most models one report may name; more is not a real node.</summary>
    public const int MaxModels = 16;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, Report> _reports = new(StringComparer.Ordinal);

    /// <summary>Takes over a node's report; nothing (or nothing valid) leaves the last one in place.</summary>
    public void Record(string workerId, IReadOnlyDictionary<string, double>? speeds)
    {
        if (speeds is null)
            return;
        var valid = speeds
            .Where(s => s.Key.Length is > 0 and <= 200 && double.IsFinite(s.Value) && s.Value is > 0 and < 100_000)
            .Take(MaxModels)
            .ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        if (valid.Count > 0)
            _reports[workerId] = new Report(valid, _time.GetUtcNow());
    }

    /// <summary>A node's speed: for <paramref name="model"/> when it reported one, else the mean of what it reported; null when unknown.</summary>
    public double? Of(string workerId, string? model = null)
    {
        if (!_reports.TryGetValue(workerId, out var report) || _time.GetUtcNow() - report.At > Freshness)
            return null;
        return model is not null && report.Speeds.TryGetValue(model, out var speed) ? speed : report.Speeds.Values.Average();
    }

    /// <summary>Every node with a fresh report, with its speed (<see cref="Of"/> without a model).</summary>
    public IReadOnlyDictionary<string, double> Fleet()
    {
        var now = _time.GetUtcNow();
        return _reports
            .Where(r => now - r.Value.At <= Freshness)
            .ToDictionary(r => r.Key, r => r.Value.Speeds.Values.Average(), StringComparer.Ordinal);
    }

    public void Forget(string workerId) => _reports.TryRemove(workerId, out _);

    private sealed record Report(IReadOnlyDictionary<string, double> Speeds, DateTimeOffset At);
}

/// <summary>
/// Which queued episode an idle node should take, from how fast it is against the rest of the fleet: the fastest node
/// takes the longest episode, slower ones take from further down the longest-first list (the slowest from near its
/// end). A long episode then never waits on a slow node while a fast one finishes short ones, which shortens the time
/// until the whole queue is done (<c>BENCHMARKS.md</c> simulates a fleet against random assignment).
/// </summary>
public static class SpeedRouting
{
    /// <summary>
    /// Where in the longest-first list <paramref name="speed"/>'s node takes its job: the share of the fleet that is
    /// faster than it (0 for the fastest). Null — keep the queue's own order (oldest first) — when the node's speed is
    /// unknown or fewer than two nodes have reported one, since then there is nothing to compare.
    /// </summary>
    public static double? Position(double? speed, IReadOnlyCollection<double> fleet)
    {
        if (speed is not { } own || fleet.Count < 2)
            return null;
        var faster = fleet.Count(s => s > own * 1.05); // within 5 % counts as as fast: measurement noise, not a rank
        return (double)faster / fleet.Count;
    }
}
