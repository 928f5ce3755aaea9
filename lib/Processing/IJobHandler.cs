using Cast2md.Queue;

namespace Cast2md.Processing;

/// <summary>Does the work of one job type. Throwing fails the attempt; returning completes the job.</summary>
public interface IJobHandler
{
    JobType Type { get; }

    /// <param name="job">The claimed job.</param>
    /// <param name="progress">Percent done, 0..100; sent with the next lease renewal.</param>
    /// <param name="cancellationToken">Cancelled on shutdown and when the lease is lost.</param>
    Task HandleAsync(Job job, IProgress<double> progress, CancellationToken cancellationToken);
}
