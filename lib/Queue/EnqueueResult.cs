namespace Cast2md.Queue;

/// <summary>A new job, or the active job of the same episode and type that already existed.</summary>
public sealed record EnqueueResult(Job Job, bool Created);
