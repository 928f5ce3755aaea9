using Cast2md.Api;

namespace Cast2md.Cli.Server.Endpoints;

internal static partial class NodeEndpoints
{
    // What a node may store about itself. The body limit bounds the total; these keep each field displayable and a
    // listing of every node small (a heartbeat is stored on every beat).
    internal const int MaxNameLength = 200;
    internal const int MaxUrlLength = 2048;
    internal const int MaxModelLength = 200;
    internal const int MaxBackendLength = 100;
    internal const int MaxModels = 100;
    internal const int MaxClaimedJobs = 1000;

    /// <summary>A failure report is cut rather than refused: the node must be able to give the job back whatever went wrong.</summary>
    internal const int MaxErrorMessageLength = 2000;

    private static void CheckLengths(string? name, string? url, string? whisperModel, string? whisperBackend, IReadOnlyList<string>? models)
    {
        CheckLength("name", name, MaxNameLength);
        CheckLength("url", url, MaxUrlLength);
        CheckLength("whisper_model", whisperModel, MaxModelLength);
        CheckLength("whisper_backend", whisperBackend, MaxBackendLength);
        if (models is null)
            return;
        if (models.Count > MaxModels)
            throw new Services.InvalidRequestException($"models must list at most {MaxModels} models, not {models.Count}.");
        foreach (var model in models)
            CheckLength("models", model, MaxModelLength, "every entry of ");
    }

    private static void CheckLengths(NodeHeartbeatRequest request)
    {
        CheckLengths(request.Name, request.Url, request.WhisperModel, request.WhisperBackend, request.Models);
        if (request.ClaimedJobIds is { Count: > MaxClaimedJobs } claimed)
            throw new Services.InvalidRequestException($"claimed_job_ids must list at most {MaxClaimedJobs} jobs, not {claimed.Count}.");
        if (request.Speeds is { } speeds)
        {
            if (speeds.Count > Cast2md.NodeRegistry.NodeSpeeds.MaxModels)
                throw new Services.InvalidRequestException(
                    $"speeds must name at most {Cast2md.NodeRegistry.NodeSpeeds.MaxModels} models, not {speeds.Count}."
                );
            foreach (var (model, speed) in speeds)
            {
                CheckLength("speeds", model, MaxModelLength, "every model in ");
                if (!double.IsFinite(speed) || speed <= 0)
                    throw new Services.InvalidRequestException(
                        $"speeds must be positive numbers (audio seconds per second); '{Cut(model, 40)}' has {speed}."
                    );
            }
        }
    }

    private static void CheckLength(string field, string? value, int max, string prefix = "")
    {
        if (value is { Length: var length } && length > max)
            throw new Services.InvalidRequestException($"{prefix}{field} must be at most {max} characters (got {length}).");
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
