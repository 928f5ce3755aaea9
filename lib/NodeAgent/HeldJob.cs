using Cast2md.Api;

namespace Cast2md.NodeAgent;

/// <summary>A job the node holds (downloading, prefetched, transcribing, uploading), with the means to stop its work.</summary>
internal sealed class HeldJob : IDisposable
{
    private readonly CancellationTokenSource _cancel;
    private int _reporting;

    public HeldJob(NodeClaimResponse claim, DateTime claimedAt, CancellationToken stop, TimeProvider time)
    {
        Claim = claim;
        Id = claim.JobId!.Value;
        ClaimedAt = claimedAt;
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(stop);
        Throttle = new ProgressThrottle(time);
        WorkName = $"job-{Id}-{Interlocked.Increment(ref s_claims)}";
    }

    /// <summary>
    /// The file name (without extension) of this claim's audio: the job and the claim's number in this process. A job the
    /// server takes back can come to the same node again while the first claim is still being dropped; each claim has
    /// its own file, so dropping the old one never deletes the audio the new one has just downloaded.
    /// </summary>
    public string WorkName { get; }

    public long Id { get; }
    public NodeClaimResponse Claim { get; }
    public string? LeaseToken => Claim.LeaseToken;
    public DateTime ClaimedAt { get; }
    public CancellationToken Token => _cancel.Token;
    public ProgressThrottle Throttle { get; }

    public volatile string Phase = "downloading";
    public double ProgressPercent;
    public string? AudioPath;
    public bool IsDownloaded;

    /// <summary>The server took the job away (lost lease, reset, cancelled): stop working on it, never report it again.</summary>
    public bool IsLost { get; private set; }

    public void MarkLost()
    {
        IsLost = true;
        try
        {
            _cancel.Cancel();
        }
        catch (ObjectDisposedException) { }
    }

    /// <summary>Only one progress request in flight per job.</summary>
    public bool TryStartReport() => Interlocked.CompareExchange(ref _reporting, 1, 0) == 0;

    public void EndReport() => Volatile.Write(ref _reporting, 0);

    public NodeJobStatus ToStatus() => new(Id, Claim.EpisodeId, Claim.EpisodeTitle, Phase, Math.Round(ProgressPercent, 1), ClaimedAt);

    public void DeleteAudio()
    {
        foreach (var path in new[] { AudioPath, AudioPath is null ? null : AudioPath + ".part" })
            if (path is not null)
                try
                {
                    File.Delete(path);
                }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
    }

    public void Dispose() => _cancel.Dispose();

    private static long s_claims;
}
