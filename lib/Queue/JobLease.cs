namespace Cast2md.Queue;

/// <summary>
/// A claimed job. The <see cref="Token"/> proves ownership: every later transition must present it,
/// so a worker that lost its lease (it expired and someone else claimed the job) cannot complete it.
/// </summary>
public sealed record JobLease(Job Job, string Token, DateTimeOffset ExpiresAt);
