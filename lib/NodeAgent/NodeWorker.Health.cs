using Microsoft.Extensions.Logging;

namespace Cast2md.NodeAgent;

/// <summary>
/// Faults of the node itself — a model or ffmpeg it cannot find, a library it cannot load, a spool it cannot write — are
/// not the job's: the job goes back without using an attempt, the node says what is wrong in every heartbeat (the server
/// shows it unhealthy) and claims nothing until it is fixed. A spool fault is fixed when a probe file can be written
/// again; a setup fault is tried again with one job after <see cref="NodeWorkerSetup.ProblemRetry"/> (the node cannot
/// tell on its own when a model was installed). For the circuit breaker a fault counts as a failure, so a node without
/// NODE_PERSISTENT still ends; with it, the node stays up, not claiming.
/// </summary>
public sealed partial class NodeWorker
{
    private string? _problem;
    private bool _problemIsSpool;
    private DateTimeOffset _problemAt;

    /// <summary>What keeps the node from working now (sent as <c>problem</c> with every heartbeat); null when healthy.</summary>
    public string? Problem
    {
        get
        {
            lock (_gate)
                return _problem;
        }
    }

    private void ReportProblem(string problem, bool spool)
    {
        lock (_gate)
        {
            if (_problem is null)
                _logger.LogError("this node cannot work and takes no jobs until it is fixed: {Problem}", problem);
            _problem = problem;
            _problemIsSpool |= spool;
            _problemAt = _time.GetUtcNow();
        }
    }

    /// <summary>Whether the node may claim now; a fault that has been fixed (or is due for another try) is cleared here.</summary>
    private bool HealthyEnoughToClaim()
    {
        bool spool;
        lock (_gate)
        {
            if (_problem is null)
                return true;
            spool = _problemIsSpool;
            if (!spool && _time.GetUtcNow() - _problemAt < _setup.ProblemRetry)
                return false;
        }
        if (spool && !SpoolWritable())
            return false;
        lock (_gate)
        {
            _logger.LogInformation("trying again after: {Problem}", _problem);
            _problem = null;
            _problemIsSpool = false;
        }
        return true;
    }

    private bool SpoolWritable()
    {
        var probe = Path.Combine(_spool.Directory, $".probe-{Environment.ProcessId}");
        try
        {
            Directory.CreateDirectory(_spool.Directory);
            File.WriteAllBytes(probe, new byte[4096]);
            File.Delete(probe);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(probe);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException) { }
            return false;
        }
    }

    /// <summary>The transcriber's error kinds that say the node is broken, not the audio or the job.</summary>
    private static bool IsNodeFault(string? errorKind) => errorKind is "model" or "tool";
}
