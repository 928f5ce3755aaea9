namespace Cast2md.Queue;

/// <summary>One append-only line of a job's history: who did what to it, when.</summary>
public sealed record JobHistoryEntry(long JobId, DateTimeOffset At, string Event, string? Actor, string? Detail);
