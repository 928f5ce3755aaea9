namespace Cast2md.Cli.Server;

/// <summary>How `cast2md serve` was asked to run.</summary>
internal sealed record ServerOptions(string Host, int Port, string DataDirectory)
{
    /// <summary>Bound to loopback only, the API may stay open; on any other address admin calls need the token.</summary>
    public bool IsLoopbackOnly =>
        Host is "127.0.0.1" or "localhost" or "::1" or "[::1]" ||
        (System.Net.IPAddress.TryParse(Host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));
}
