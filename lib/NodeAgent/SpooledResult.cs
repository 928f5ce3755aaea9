using Cast2md.Transcripts;

namespace Cast2md.NodeAgent;

/// <summary>A finished transcription waiting to be uploaded: <c>~/.cast2md/spool/{job_id}.json</c>.</summary>
public sealed record SpooledResult(
    string ServerUrl,
    string NodeId,
    long JobId,
    string? LeaseToken,
    string? WhisperModel,
    TranscriptJsonDocument Transcript,
    DateTime SpooledAt
);
