using Cast2md.Transcripts;

namespace Cast2md.Api;

// JSON shapes of the distributed protocol, snake_case. Fields the original does not
// have are additions a node of the original ignores; every field the original sends is still read.
// The protocol itself is described in docs/distributed-protocol.md.

/// <summary>
/// <c>POST /api/nodes/register</c> (and <c>POST /api/nodes</c>, the admin's manual add). <c>url</c> is where the node's
/// status endpoint answers (the server's Test probes <c>{url}/status</c>); <c>models</c> are the models it serves besides
/// <c>whisper_model</c>; <c>registration_token</c> stands in for the admin token when the server is not loopback-only.
/// </summary>
public sealed record NodeRegisterRequest(
    string? Name,
    string? Url,
    string? WhisperModel = null,
    string? WhisperBackend = null,
    IReadOnlyList<string>? Models = null,
    int? Priority = null,
    string? RegistrationToken = null
);

/// <summary>The node's credentials: the API key is shown this once and stored only as a hash.</summary>
public sealed record NodeRegisterResponse(string NodeId, string ApiKey, string Message);

/// <summary>
/// <c>POST /api/nodes/{node_id}/heartbeat</c>. Every field is optional. <c>claimed_job_ids</c> lists every job the node
/// holds (current, prefetched, downloading): their leases are extended; unlike the original, a job missing from the list
/// is never released here (that raced with claims), it simply stops being extended. <c>problem</c>: why the node cannot
/// work now (it claims nothing meanwhile); absent when it is healthy. <c>speeds</c> (ours): its real-time factor per
/// model over its recent jobs (audio seconds per wall-clock second), which the server routes by.
/// </summary>
public sealed record NodeHeartbeatRequest(
    string? Name = null,
    string? Url = null,
    string? WhisperModel = null,
    string? WhisperBackend = null,
    IReadOnlyList<string>? Models = null,
    long? CurrentJobId = null,
    IReadOnlyList<long>? ClaimedJobIds = null,
    double? ProgressPercent = null,
    string? Problem = null,
    IReadOnlyDictionary<string, double>? Speeds = null
);

/// <summary>
/// <c>status</c> "ok" and the original's message; <c>lost_job_ids</c>: jobs in <c>claimed_job_ids</c> the node no longer
/// holds (reset, cancelled, reclaimed) — it stops working on them; <c>distributed_enabled</c>: whether claims are served.
/// </summary>
public sealed record NodeHeartbeatResponse(string Status, string Message, IReadOnlyList<long> LostJobIds, bool DistributedEnabled);

/// <summary>
/// <c>POST /api/nodes/{node_id}/claim</c> body (optional; <c>?wait=</c> in the query works too). <c>spans</c>: the node
/// transcribes a stretch of an episode when the claim names one; a node that does not say so gets whole episodes only.
/// </summary>
public sealed record NodeClaimRequest(double? Wait = null, IReadOnlyList<string>? Models = null, bool? Spans = null);

/// <summary>
/// The claimed job, or <c>has_job: false</c> with null ids and an empty <c>audio_url</c> (as the original). <c>audio_url</c>
/// is relative to the server. <c>lease_token</c> goes back in the <c>X-Lease-Token</c> header of every call about the job.
/// <c>model</c> is the model the job asks for (null: the node's own). <c>message</c> says why nothing was handed out.
/// <c>span_start_ms</c>/<c>span_end_ms</c> (only to a node that takes spans): transcribe only this stretch of the audio
/// (no end: to the end) and send its segments with times from the start of the whole audio.
/// </summary>
public sealed record NodeClaimResponse(
    long? JobId,
    long? EpisodeId,
    string? EpisodeTitle,
    string AudioUrl,
    bool HasJob,
    string? LeaseToken = null,
    DateTime? LeaseExpiresAt = null,
    long? AudioSize = null,
    string? Model = null,
    string? Message = null,
    long? SpanStartMs = null,
    long? SpanEndMs = null
)
{
    public static NodeClaimResponse None(string? message = null) => new(null, null, null, "", false, Message: message);
}

/// <summary><c>POST /api/nodes/jobs/{job_id}/progress</c>.</summary>
public sealed record NodeProgressRequest(double ProgressPercent);

/// <summary>
/// <c>POST /api/nodes/jobs/{job_id}/complete</c>. <c>transcript</c> is the JSON document <c>cast2md transcribe --format json</c>
/// writes (segments with times, language, model); the server writes every format from it with the episode's title.
/// <c>transcript_text</c> alone (what the original's nodes send) is Markdown whose <c>**[MM:SS]**</c> stamps are read back into timed segments.
/// </summary>
public sealed record NodeCompleteRequest(string? TranscriptText = null, string? WhisperModel = null, TranscriptJsonDocument? Transcript = null);

/// <summary>
/// <c>POST /api/nodes/jobs/{job_id}/fail</c>: <c>retry: false</c> marks the failure permanent. <c>node_fault: true</c> says
/// the node itself cannot work (model, ffmpeg or library missing, spool not writable): the job goes back without using an
/// attempt and the node is shown unhealthy until a heartbeat without <c>problem</c> clears it.
/// </summary>
public sealed record NodeFailRequest(string? ErrorMessage, bool Retry = true, bool NodeFault = false);

/// <summary>
/// A node as the admin sees it (<c>GET /api/nodes</c>); the API key is never shown again. <c>speed</c>: its real-time
/// factor as it last reported it (audio seconds per second; null until it finished a job of at least 30 s, and in
/// <c>cast2md nodes list</c>, which reads the database, not the server's memory); <c>current_job_eta_seconds</c>: the
/// time its current job still needs at that speed.
/// </summary>
public sealed record NodeResponse(
    string Id,
    string Name,
    string? Url,
    string? WhisperModel,
    string? WhisperBackend,
    string Status,
    DateTime? LastHeartbeat,
    long? CurrentJobId,
    int Priority,
    IReadOnlyList<string> Models,
    IReadOnlyList<long> HeldJobIds,
    double? CurrentJobProgress,
    DateTime CreatedAt,
    string? Problem = null,
    double? Speed = null,
    double? CurrentJobEtaSeconds = null
);

public sealed record NodeListResponse(IReadOnlyList<NodeResponse> Nodes, int Total);

/// <summary><c>POST /api/nodes/{node_id}/test</c>: the original's message, plus the outcome as fields.</summary>
public sealed record NodeTestResponse(string Message, bool Reachable, int? StatusCode);

public sealed record StaleNode(string Id, string Name, DateTime? LastHeartbeat, double? OfflineHours);

public sealed record StaleNodesResponse(int StaleCount, double ThresholdHours, IReadOnlyList<StaleNode> Nodes);

public sealed record StaleNodesDeletedResponse(int DeletedCount, string Message);

/// <summary><c>DELETE /api/nodes/{node_id}</c>: the jobs it held went back to the queue.</summary>
public sealed record NodeDeletedResponse(string Message, IReadOnlyList<long> ReleasedJobIds);
