using Cast2md.Errors;

namespace Cast2md.Processing;

/// <summary>
/// A job could not be done. <see cref="IsPermanent"/> says retrying cannot help (a 404 enclosure, audio that
/// does not decode), so the queue fails it at once instead of backing off and trying again.
/// </summary>
public sealed class JobFailedException(string message, bool isPermanent, Exception? innerException = null) : Cast2mdException(message, innerException)
{
    public bool IsPermanent { get; } = isPermanent;

    /// <summary>Where the episode waits meanwhile, when not where the queue would put it (committed with the failure).</summary>
    public Library.EpisodeStatus? EpisodeStatus { get; init; }
}
