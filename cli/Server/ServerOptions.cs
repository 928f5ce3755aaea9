namespace Cast2md.Cli.Server;

/// <summary>How `cast2md serve` was asked to run.</summary>
internal sealed record ServerOptions(string Host, int Port, string DataDirectory)
{
    /// <summary>
    /// Beyond loopback, a node may register with this instead of the admin token (<c>--registration-token</c> or
    /// <c>CAST2MD_REGISTRATION_TOKEN</c>), so the node's install stays one command without handing out admin rights.
    /// </summary>
    public string? RegistrationToken { get; init; }

    public const string RegistrationTokenVariable = Settings.SettingDefinitions.RegistrationToken;

    /// <summary>
    /// Refuses a blank registration token: set but empty (a template's unfilled variable, an empty secret file) it
    /// would look like protection while meaning nothing. The admin token is checked where it is loaded.
    /// </summary>
    public void CheckTokens()
    {
        if (RegistrationToken is { } token && string.IsNullOrWhiteSpace(token))
            throw new Errors.Cast2mdException(
                $"The registration token is empty (--registration-token or {RegistrationTokenVariable}): set a real token, or unset it to let only the admin token register nodes."
            );
    }

    /// <summary>Bound to loopback only, the API may stay open; on any other address admin calls need the token.</summary>
    public bool IsLoopbackOnly =>
        Host is "127.0.0.1" or "localhost" or "::1" or "[::1]"
        || (System.Net.IPAddress.TryParse(Host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));
}
