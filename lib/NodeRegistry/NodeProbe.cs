namespace Cast2md.NodeRegistry;

/// <summary>Asks a node's status endpoint whether it is there: <c>GET {url}/status</c> within a time limit.</summary>
public static class NodeProbe
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>The original's messages: "Node 'X' is reachable", "Node returned status N", "Failed to reach node: …".</summary>
    public static async Task<(string Message, bool Reachable, int? StatusCode)> ProbeAsync(
        HttpClient http,
        TranscriberNode node,
        CancellationToken cancellationToken
    )
    {
        if (node.Url is null)
            return ($"Failed to reach node: node '{node.Name}' has no URL", false, null);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            using var response = await http.GetAsync(node.Url.TrimEnd('/') + "/status", timeout.Token);
            var code = (int)response.StatusCode;
            return response.IsSuccessStatusCode ? ($"Node '{node.Name}' is reachable", true, code) : ($"Node returned status {code}", false, code);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var reason = ex is OperationCanceledException ? $"no answer within {Timeout.TotalSeconds:0} s" : ex.Message;
            return ($"Failed to reach node: {reason}", false, null);
        }
    }
}
