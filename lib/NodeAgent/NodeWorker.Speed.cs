using System.Collections.Concurrent;

namespace Cast2md.NodeAgent;

/// <summary>
/// How fast this node transcribes, per model: audio seconds per wall-clock second of its recent jobs (model load,
/// decoding and the child process included, as the server will see it), reported in every heartbeat so the server
/// can give long episodes to fast nodes.
/// </summary>
public sealed partial class NodeWorker
{
    /// <summary>Jobs shorter than this say more about start-up than about speed, and are not counted.</summary>
    private static readonly TimeSpan MinMeasuredAudio = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, double> _speeds = new(StringComparer.Ordinal);

    /// <summary>The speeds measured so far (null before the first counted job).</summary>
    public IReadOnlyDictionary<string, double>? Speeds() => _speeds.IsEmpty ? null : new Dictionary<string, double>(_speeds, StringComparer.Ordinal);

    private void RecordSpeed(string model, long? audioMs, TimeSpan wall)
    {
        if (audioMs is not { } ms || ms < MinMeasuredAudio.TotalMilliseconds || wall <= TimeSpan.Zero)
            return;
        var measured = ms / 1000.0 / wall.TotalSeconds;
        // Half the weight on the newest job: a changed machine load shows after two or three jobs, one odd job is damped.
        _speeds.AddOrUpdate(model, measured, (_, previous) => previous * 0.5 + measured * 0.5);
    }
}
