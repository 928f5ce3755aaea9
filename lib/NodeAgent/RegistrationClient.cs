using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using Cast2md.Api;
using Cast2md.Json;

namespace Cast2md.NodeAgent;

/// <summary><c>POST /api/nodes/register</c>, and the status URL a node registers (the original hard-coded localhost, so the server probed itself).</summary>
public static class RegistrationClient
{
    /// <summary>
    /// Registers at <paramref name="server"/>. <paramref name="adminToken"/> goes as a bearer token, the request's registration token
    /// in the body and the <c>X-Registration-Token</c> header. Failures are <see cref="ApiCallException"/>s with a message that says what to do.
    /// </summary>
    /// <param name="currentKey">The key of this node's earlier registration (its node.json): the server then gives it its own row back.</param>
    public static async Task<NodeRegisterResponse> RegisterAsync(
        HttpClient http,
        Uri server,
        NodeRegisterRequest request,
        string? adminToken,
        CancellationToken cancellationToken = default,
        string? currentKey = null
    )
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(server, "api/nodes/register"))
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(request, Cast2mdJsonContext.Default.NodeRegisterRequest)),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (adminToken is not null)
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        if (request.RegistrationToken is not null)
            message.Headers.TryAddWithoutValidation(NodeProtocol.RegistrationHeader, request.RegistrationToken);
        if (currentKey is not null)
            message.Headers.TryAddWithoutValidation(NodeProtocol.KeyHeader, currentKey);

        var (status, body) = await ApiExchange.SendAsync(http, message, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        if (status is >= 200 and < 300)
            return JsonSerializer.Deserialize(body, Cast2mdJsonContext.Default.NodeRegisterResponse)
                ?? throw new ApiCallException($"{server} answered the registration with an empty body", status);
        var failure = ApiExchange.Refusal(HttpMethod.Post, "api/nodes/register", status, body);
        var detail = failure.Detail ?? "";
        var hint = status switch
        {
            403 when detail.Contains("disabled", StringComparison.OrdinalIgnoreCase) =>
                "distributed transcription is disabled on the server: enable DISTRIBUTED_TRANSCRIPTION_ENABLED there (Settings or .env) and try again",
            401 or 403 when request.RegistrationToken is null && adminToken is null =>
                "this server is not loopback-only, so registering needs a token: pass --token with the server's CAST2MD_REGISTRATION_TOKEN "
                    + "(or set CAST2MD_REGISTRATION_TOKEN here), or set CAST2MD_ADMIN_TOKEN to the server's admin token",
            401 or 403 => "the server refused the token: --token / CAST2MD_REGISTRATION_TOKEN must equal the server's registration token "
                + "(serve --registration-token), CAST2MD_ADMIN_TOKEN its admin token",
            404 => "this server has no node API (is it a cast2md server, and new enough?)",
            _ => null,
        };
        throw new ApiCallException(
            hint is null
                ? $"registration failed: {failure.Message}"
                : $"registration failed ({status}{(detail.Length > 0 ? ": " + detail : "")}): {hint}",
            status,
            failure.Detail
        );
    }

    /// <summary>
    /// <c>http://{the local address that routes to the server}:{port}</c>: a UDP socket "connected" to the server (no packet is
    /// sent) tells which interface the system would use. A loopback server gives 127.0.0.1.
    /// </summary>
    public static string DefaultStatusUrl(Uri server, int port)
    {
        var address = LocalAddressTowards(server);
        var host = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        return $"http://{host}:{port}";
    }

    public static IPAddress LocalAddressTowards(Uri server)
    {
        try
        {
            var addresses = IPAddress.TryParse(server.IdnHost.Trim('[', ']'), out var literal) ? [literal] : Dns.GetHostAddresses(server.IdnHost);
            var target = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
            if (target is null || IPAddress.IsLoopback(target))
                return IPAddress.Loopback;
            using var socket = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            socket.Connect(target, server.Port > 0 ? server.Port : 80);
            return socket.LocalEndPoint is IPEndPoint local ? local.Address : IPAddress.Loopback;
        }
        catch (SocketException)
        {
            return IPAddress.Loopback;
        }
    }
}
