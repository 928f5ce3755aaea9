using System.Globalization;
using Cast2md.Api;
using Cast2md.Cli.Server.Guards;
using Cast2md.Json;
using Cast2md.NodeRegistry;
using Microsoft.AspNetCore.Mvc;

namespace Cast2md.Cli.Server.Endpoints;

internal static partial class NodeEndpoints
{
    /// <summary>The longest a claim may be held open; a node asks again after that.</summary>
    private static readonly TimeSpan MaxClaimWait = TimeSpan.FromSeconds(60);

    private static void MapWorker(RouteGroupBuilder nodes)
    {
        nodes.MapPost("/register", Register).Access(ApiAccess.Registration).RequireRateLimiting(RateLimits.Registration);
        nodes.MapPost("/{nodeId}/heartbeat", Heartbeat).ForNodes();
        nodes.MapPost("/{nodeId}/claim", ClaimAsync).ForNodes().RequireRateLimiting(RateLimits.Claims);
    }

    /// <summary>
    /// Open on a loopback-only server, as the original. Beyond loopback it needs the admin token or the registration
    /// token (the original let anyone who could reach the server become a node and receive its audio).
    /// </summary>
    private static IResult Register(HttpContext context, [FromBody] NodeRegisterRequest request, [FromServices] ServerServices services)
    {
        if (!services.Options.IsLoopbackOnly && !MayRegister(context, request, services))
            return ApiErrors.Detail(
                StatusCodes.Status401Unauthorized,
                "Registering a node on this server needs the registration token (cast2md node register --token, or CAST2MD_REGISTRATION_TOKEN) or the admin token."
            );
        if (!services.DistributedEnabled)
            return ApiErrors.Detail(
                StatusCodes.Status403Forbidden,
                "Distributed transcription is disabled on this server: set DISTRIBUTED_TRANSCRIPTION_ENABLED=true (or turn it on in the settings) first."
            );
        var registration = Validate(request, fallbackPriority: 10);
        var (node, apiKey) = services.Nodes.Register(
            registration,
            services.NodeHeartbeatTimeout,
            reuseOfflineNamesake: services.AdminToken.Matches(context.Request.Headers.Authorization),
            reuseNodeId: OwnRowToTakeOver(context, services, registration)
        );
        return ApiResults.Json(
            new NodeRegisterResponse(node.Id, apiKey, $"Node '{node.Name}' registered"),
            Cast2mdJsonContext.Default.NodeRegisterResponse
        );
    }

    /// <summary>
    /// A node that registers again with its current key (its node.json survived) gets its own row back. Taking over an
    /// offline namesake's row needs the admin token; with only the registration token a name is no proof of identity,
    /// so the newcomer gets a row of its own.
    /// </summary>
    private static string? OwnRowToTakeOver(HttpContext context, ServerServices services, NodeRegistration registration) =>
        context.Request.Headers[NodeProtocol.KeyHeader].FirstOrDefault() is { Length: > 0 } key
        && services.Nodes.FindByKey(key) is { } own
        && own.Name == registration.Name
            ? own.Id
            : null;

    private static bool MayRegister(HttpContext context, NodeRegisterRequest request, ServerServices services)
    {
        if (services.AdminToken.Matches(context.Request.Headers.Authorization))
            return true;
        var expected = services.Options.RegistrationToken;
        if (string.IsNullOrEmpty(expected))
            return false;
        var presented = request.RegistrationToken ?? context.Request.Headers[NodeProtocol.RegistrationHeader].FirstOrDefault();
        return presented is not null
            && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.UTF8.GetBytes(presented),
                System.Text.Encoding.UTF8.GetBytes(expected)
            );
    }

    /// <summary>
    /// A sign of life: renames and model changes are taken over, and the leases of the jobs the node lists are extended
    /// by <c>REMOTE_JOB_TIMEOUT_MINUTES</c>. Jobs it lists but no longer holds come back as <c>lost_job_ids</c>.
    /// </summary>
    private static IResult Heartbeat(
        HttpContext context,
        string nodeId,
        [FromBody] NodeHeartbeatRequest? request,
        [FromServices] ServerServices services
    )
    {
        var node = Authenticate(context, services, nodeId);
        request ??= new NodeHeartbeatRequest();
        CheckLengths(request);
        if (request.Name is { } name && string.IsNullOrWhiteSpace(name))
            throw new Services.InvalidRequestException("name must not be empty.");
        if (request.Url is { Length: > 0 } url)
            RequireHttpUrl(url);
        services.Nodes.Touch(
            node.Id,
            new NodeInfoUpdate(request.Name?.Trim(), request.Url, request.WhisperModel, request.WhisperBackend, request.Models, request.CurrentJobId)
        );
        var claimed = request.ClaimedJobIds ?? (request.CurrentJobId is { } current ? [current] : null);
        services.Nodes.SetProblem(node.Id, request.Problem);
        services.Dispatcher.Speeds.Record(node.WorkerId, request.Speeds);
        // Only what this node holds is extended: a current_job_id of another worker's job (or one it is still uploading
        // after losing it) renews nothing and records no progress.
        var lost = services.Jobs.ExtendLeases(node.WorkerId, claimed, services.RemoteJobTimeout);
        if (request.ProgressPercent is { } progress && request.CurrentJobId is { } job && !lost.Contains(job))
            services.Jobs.RenewHeld(job, node.WorkerId, services.RemoteJobTimeout, progress);
        return ApiResults.Json(
            new NodeHeartbeatResponse("ok", "Heartbeat received", lost, services.DistributedEnabled),
            Cast2mdJsonContext.Default.NodeHeartbeatResponse
        );
    }

    /// <summary>
    /// The next transcription job for this node, or <c>has_job: false</c>. With <c>wait</c> the call is held open until
    /// a job is queued or the time is up (long-poll); without, it answers at once (the original's 5-second polling).
    /// </summary>
    private static async Task<IResult> ClaimAsync(
        HttpContext context,
        string nodeId,
        [FromQuery] double? wait,
        [FromServices] ServerServices services,
        CancellationToken cancellationToken
    )
    {
        var node = Authenticate(context, services, nodeId);
        var body = await ReadOptionalBodyAsync(context, cancellationToken);
        services.Nodes.Touch(node.Id);
        if (!services.DistributedEnabled)
            return ApiResults.Json(
                NodeClaimResponse.None("Distributed transcription is disabled on this server."),
                Cast2mdJsonContext.Default.NodeClaimResponse
            );
        if (node.Problem is { } problem)
            return ApiResults.Json(
                NodeClaimResponse.None($"This node reported a problem and gets no jobs until a heartbeat says it is fixed: {problem}"),
                Cast2mdJsonContext.Default.NodeClaimResponse
            );
        if (body?.Models is { Count: > 0 } models)
            node = node with { Models = models };

        var seconds = wait ?? body?.Wait ?? 0;
        if (double.IsNaN(seconds) || seconds < 0)
            throw new Services.InvalidRequestException("wait must be a number of seconds, 0 or more.");
        var waitFor = TimeSpan.FromSeconds(Math.Min(seconds, MaxClaimWait.TotalSeconds));
        var spans = body?.Spans == true;
        var lease = await services.Dispatcher.ClaimAsync(node, services.RemoteJobTimeout, waitFor, cancellationToken, spans);
        if (lease is not null && spans && await services.Core.Splitter.PlanAsync(lease.Job, node.WorkerId, cancellationToken) is { } plan)
        {
            // A long episode with other workers idle: split under this claim's lease, then this node takes a span of it
            // like everyone else (no audio has left the server yet).
            if (services.Core.Outcomes.Split(lease.Job.Id, lease.Token, plan, node.WorkerId) == Queue.TransitionResult.Done)
                lease = await services.Dispatcher.ClaimAsync(node, services.RemoteJobTimeout, TimeSpan.Zero, cancellationToken, spans);
        }
        if (lease is null)
            return ApiResults.Json(NodeClaimResponse.None(), Cast2mdJsonContext.Default.NodeClaimResponse);

        var job = lease.Job;
        var episode = services.Episodes.Get(job.EpisodeId);
        services.Nodes.Touch(node.Id, new NodeRegistry.NodeInfoUpdate(null, null, null, null, null, job.Id));
        long? size =
            episode?.AudioPath is { } relative && new FileInfo(services.Core.Layout.Resolve(relative)) is { Exists: true } file ? file.Length : null;
        Queue.SpanRange? range =
            job.SpanStartMs is { } spanStart && job.SpanEndMs is { } spanEnd
                ? Transcription.TranscriptSpans.TranscribeRange(new Queue.SpanRange(spanStart, spanEnd))
                : null;
        return ApiResults.Json(
            new NodeClaimResponse(
                job.Id,
                job.EpisodeId,
                episode?.Title,
                $"/api/nodes/jobs/{job.Id.ToString(CultureInfo.InvariantCulture)}/audio",
                true,
                lease.Token,
                ApiTime.Utc(lease.ExpiresAt),
                size,
                job.Model,
                SpanStartMs: range?.StartMs,
                SpanEndMs: range is { IsOpenEnded: false } closed ? closed.EndMs : null
            ),
            Cast2mdJsonContext.Default.NodeClaimResponse
        );
    }

    /// <summary>The claim body is optional (the original's nodes send none); an empty body is not an error.</summary>
    private static async Task<NodeClaimRequest?> ReadOptionalBodyAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (context.Request.ContentLength is 0 or null && !context.Request.Headers.TransferEncoding.Any())
            return null;
        if (!context.Request.HasJsonContentType())
            return null;
        try
        {
            return await context.Request.ReadFromJsonAsync(Cast2mdJsonContext.Default.NodeClaimRequest, cancellationToken);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new Services.InvalidRequestException("Invalid JSON body: " + ex.Message);
        }
    }

    private static NodeRegistration Validate(NodeRegisterRequest request, int fallbackPriority)
    {
        if (string.IsNullOrWhiteSpace(request.Name))
            throw new Services.InvalidRequestException("name is required.");
        CheckLengths(request.Name, request.Url, request.WhisperModel, request.WhisperBackend, request.Models);
        if (request.Url is { Length: > 0 } url)
            RequireHttpUrl(url);
        var priority = request.Priority ?? fallbackPriority;
        if (priority is < 0 or > 1000)
            throw new Services.InvalidRequestException("priority must be between 0 and 1000 (lower is served first).");
        return new NodeRegistration(
            request.Name.Trim(),
            request.Url is { Length: > 0 } u ? u.TrimEnd('/') : null,
            request.WhisperModel,
            request.WhisperBackend,
            request.Models ?? [],
            priority
        );
    }

    private static void RequireHttpUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new Services.InvalidRequestException($"url must be an http(s) address, not '{url}'.");
    }
}
