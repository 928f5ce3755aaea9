using Cast2md.Queue;

namespace Cast2md.Services;

/// <summary>A job with what a person needs to recognise it.</summary>
public sealed record JobSummary(Job Job, string EpisodeTitle, long FeedId, string FeedTitle);

/// <summary>One job type's counts, its running jobs and the head of its queue.</summary>
public sealed record QueueTypeOverview(JobType Type, JobCounts Counts, IReadOnlyList<JobSummary> Running, IReadOnlyList<JobSummary> Queued);

/// <summary>Jobs created by a batch request, and episodes skipped (already done or already queued).</summary>
public sealed record BatchResult(int Queued, int Skipped);
