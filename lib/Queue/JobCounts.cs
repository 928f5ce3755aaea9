namespace Cast2md.Queue;

/// <summary>How many jobs of one type are in each state.</summary>
public sealed record JobCounts(int Queued, int Running, int Completed, int Failed, int Cancelled);
