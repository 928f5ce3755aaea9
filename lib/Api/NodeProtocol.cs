namespace Cast2md.Api;

/// <summary>
/// The headers of the node protocol, shared by the server's endpoints and the node's client so that the two sides
/// cannot drift apart. The names are the original cast2md's where it had one (<c>X-Transcriber-Key</c>), so its nodes
/// keep working.
/// </summary>
public static class NodeProtocol
{
    /// <summary>The node's API key, on every call a node makes about itself or its jobs.</summary>
    public const string KeyHeader = "X-Transcriber-Key";

    /// <summary>The lease of the claim a job call is about; a call with an old claim's token is refused.</summary>
    public const string LeaseHeader = "X-Lease-Token";

    /// <summary>The registration token beyond loopback (also accepted as <c>registration_token</c> in the body).</summary>
    public const string RegistrationHeader = "X-Registration-Token";
}
