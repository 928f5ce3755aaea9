namespace Cast2md.Cli.Server.Guards;

internal static partial class AccessGuard
{
    /// <summary>
    /// Why a state-changing request looks like it came from another site's page, or null. Browsers say so in
    /// <c>Sec-Fetch-Site</c> (cross-site, or same-site: another port of localhost is another application) and in
    /// <c>Origin</c>, which must then name this very host; curl, scripts and nodes send neither and pass.
    /// </summary>
    internal static string? CrossSiteProblem(HttpRequest request)
    {
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
            return null;
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        if (
            fetchSite.Length > 0
            && !fetchSite.Equals("same-origin", StringComparison.OrdinalIgnoreCase)
            && !fetchSite.Equals("none", StringComparison.OrdinalIgnoreCase)
        )
            return $"Refused a {request.Method} from another web site (Sec-Fetch-Site: {fetchSite}): the API does not take changes from web pages of other origins.";
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
            return null;
        if (
            !Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            || !string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)
        )
            return $"Refused a {request.Method} from the web origin '{origin}': the API takes changes only from its own origin or from non-browser clients.";
        return null;
    }
}
