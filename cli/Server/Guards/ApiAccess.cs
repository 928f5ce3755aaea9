namespace Cast2md.Cli.Server.Guards;

/// <summary>Who may call an endpoint. Every route declares one; <see cref="AccessGuard"/> enforces it from the matched endpoint.</summary>
internal enum ApiAccess
{
    /// <summary>Anyone who can reach the server (health checks only).</summary>
    Public,

    /// <summary>The admin: open on a loopback-only server, else <c>Authorization: Bearer &lt;admin token&gt;</c>.</summary>
    Admin,

    /// <summary>A registered node with its <c>X-Transcriber-Key</c>, checked (with the job's lease) before the body is read.</summary>
    Node,

    /// <summary>The admin, or the node named in the route with its own key (a node unregistering itself).</summary>
    NodeOrAdmin,

    /// <summary>
    /// Node registration: open on a loopback-only server, else the registration or admin token. The token may sit in
    /// the (small, bounded) JSON body, so the endpoint itself decides.
    /// </summary>
    Registration,
}

/// <summary>The access an endpoint declared, as endpoint metadata (the last one declared wins: a route overrides its group).</summary>
internal sealed record ApiAccessMetadata(ApiAccess Access);

/// <summary>The largest request body an endpoint accepts, as endpoint metadata; without it <see cref="BodyLimits.Default"/>.</summary>
internal sealed record BodyLimitMetadata(long MaxBytes);

/// <summary>
/// Body media types an endpoint takes besides JSON (an uploaded file, say). Only for endpoints that need one: a form
/// post is how a web page reaches an API it cannot read, so <c>application/x-www-form-urlencoded</c>,
/// <c>multipart/form-data</c> and <c>text/plain</c> should stay refused wherever the Origin check is the only guard.
/// </summary>
internal sealed record BodyTypesMetadata(IReadOnlyList<string> MediaTypes);

internal static class ApiAccessExtensions
{
    public static TBuilder Access<TBuilder>(this TBuilder builder, ApiAccess access)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new ApiAccessMetadata(access));

    public static TBuilder ForAdmin<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.Access(ApiAccess.Admin);

    public static TBuilder ForNodes<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.Access(ApiAccess.Node);

    public static TBuilder ForEveryone<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.Access(ApiAccess.Public);

    public static TBuilder BodyTypes<TBuilder>(this TBuilder builder, params string[] mediaTypes)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new BodyTypesMetadata(mediaTypes));

    public static TBuilder BodyLimit<TBuilder>(this TBuilder builder, long maxBytes)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new BodyLimitMetadata(maxBytes));
}

/// <summary>Request body limits.</summary>
internal static class BodyLimits
{
    /// <summary>Every JSON body but a transcript: settings, priorities, registrations, heartbeats are a few hundred bytes.</summary>
    public const long Default = 64 * 1024;

    /// <summary>
    /// A node's transcript result. A 10-hour episode in whisper's typical 3-4 s segments is about 10,000 segments, about
    /// 1.3 MB of JSON (or 0.6 MB as transcript_text); 8 MB leaves room for long segments of dense speech, timestamps of
    /// every word aside.
    /// </summary>
    public const long Transcript = 8 * 1024 * 1024;
}
