using Cast2md.Queue;
using Cast2md.Services;

namespace Cast2md.Processing;

/// <summary>
/// Does the work of one job type and returns what it produced, without changing any state: files go under their staging
/// names and the episode change is described in the <see cref="JobResult"/>, which the worker commits under the lease.
/// Throwing fails the attempt.
/// </summary>
public interface IJobHandler
{
    JobType Type { get; }

    /// <param name="lease">The claimed job and its lease token (the staging names carry it).</param>
    /// <param name="progress">Percent done, 0..100; sent with the next lease renewal.</param>
    /// <param name="cancellationToken">Cancelled on shutdown and when the lease is lost.</param>
    Task<JobResult> HandleAsync(JobLease lease, IProgress<double> progress, CancellationToken cancellationToken);
}
