using Cast2md.DataFolder;

namespace Cast2md.Tui.Client;

/// <summary>Where the monitor connects: --server, else the server announced in {data}/server.pid; the token from --token, $CAST2MD_ADMIN_TOKEN or {data}/admin-token.</summary>
public static class ServerLocator
{
    public sealed record Target(Uri BaseUri, string? Token, string Source);

    /// <returns>The target, or null with <paramref name="problem"/> saying why none was found.</returns>
    public static Target? Resolve(string? server, string? token, string dataDirectory, Func<string, string?>? environment, out string? problem)
    {
        environment ??= Cast2md.Settings.LocalSettings.Process.Get;
        problem = null;
        string url,
            source;
        if (!string.IsNullOrWhiteSpace(server))
        {
            url = server.Trim();
            source = "--server";
        }
        else if (ServerInstance.TryRead(dataDirectory) is { } instance)
        {
            url = instance.Url;
            source = Path.Combine(dataDirectory, ServerInstance.FileName);
        }
        else
        {
            problem =
                $"no server is running on {dataDirectory} ({ServerInstance.FileName} is missing or stale): start one with cast2md serve, or pass --server URL";
            return null;
        }
        if (!url.Contains("://", StringComparison.Ordinal))
            url = "http://" + url;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            problem = $"'{url}' is not an http(s) URL";
            return null;
        }
        // A server bound to every interface announces 0.0.0.0 / [::]: reach it over loopback.
        var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "127.0.0.1" : uri.Host;
        var baseUri = new UriBuilder(uri.Scheme, host, uri.Port, uri.AbsolutePath.TrimEnd('/') + "/").Uri;
        return new Target(baseUri, token ?? ReadToken(dataDirectory, environment), source);
    }

    private static string? ReadToken(string dataDirectory, Func<string, string?> environment)
    {
        if (environment(AdminToken.Variable) is { Length: > 0 } configured)
            return configured.Trim();
        var path = Path.Combine(dataDirectory, AdminToken.FileName);
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
