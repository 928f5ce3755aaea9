namespace Cast2md.Queue;

/// <summary>What happened to a state change asked for with a lease token.</summary>
public enum TransitionResult
{
    Done,

    /// <summary>The job is no longer held under this token (lease expired and reclaimed, reset, cancelled).</summary>
    LeaseLost,

    /// <summary>Already in the asked-for end state (a repeated completion): harmless.</summary>
    AlreadyDone,

    NotFound,
}

/// <summary>A job that has just failed for good, as the transaction that failed it saw it.</summary>
public readonly record struct FailedJob(long JobId, long EpisodeId, string JobType, string Error, string? Worker);
