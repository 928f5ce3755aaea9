using System.Collections.Concurrent;

namespace Cast2md.Queue;

/// <summary>
/// The transcription workers that take spans and are idle right now: the local worker while it waits for a job, and
/// nodes parked in a claim while holding nothing. A long episode is split only when someone besides its claimer is
/// here to take a span (see <see cref="Services.SpanSplitter"/>).
/// </summary>
public sealed class IdleTranscribers
{
    private readonly ConcurrentDictionary<string, byte> _idle = new(StringComparer.Ordinal);

    public void Set(string workerId, bool idle)
    {
        if (idle)
            _idle[workerId] = 0;
        else
            _idle.TryRemove(workerId, out _);
    }

    /// <summary>How many idle span-taking workers there are besides <paramref name="workerId"/>.</summary>
    public int Others(string workerId) => _idle.Keys.Count(k => !string.Equals(k, workerId, StringComparison.Ordinal));
}
