namespace Cast2md.Cli.Server;

/// <summary>How `cast2md serve` was asked to run.</summary>
internal sealed record ServerOptions(string Host, int Port, string DataDirectory)
{
    /// <summary>
    /// Beyond loopback, a node may register with this instead of the admin token (<c>--registration-token</c> or
    /// <c>CAST2MD_REGISTRATION_TOKEN</c>), so the node's install stays one command without handing out admin rights.
    /// </summary>
    public string? RegistrationToken { get; init; }

    public const string RegistrationTokenVariable = "CAST2MD_REGISTRATION_TOKEN";

    /// <summary>Bound to loopback only, the API may stay open; on any other address admin calls need the token.</summary>
    public bool IsLoopbackOnly =>
        Host is "127.0.0.1" or "localhost" or "::1" or "[::1]" ||
        (System.Net.IPAddress.TryParse(Host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));
}
