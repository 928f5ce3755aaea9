using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Cast2md.Api;
using Cast2md.Net;

namespace Cast2md.NodeAgent;

public sealed partial class NodeClient
{
    /// <summary>The client every node call uses: no redirects (the key must not follow one to another host), 30 s per request.</summary>
    public static HttpClient CreateHttpClient() =>
        Cast2mdHttp.CreateClient(
            new HttpClientOptions
            {
                MaxRedirects = 0,
                RequestTimeout = Timeout.InfiniteTimeSpan,
                AddressPolicy = null,
            }
        );

    private async Task<T> SendAsync<T>(
        HttpMethod method,
        string path,
        string? leaseToken,
        HttpContent? body,
        JsonTypeInfo<T>? typeInfo,
        TimeSpan? timeout,
        CancellationToken cancellationToken
    )
    {
        using var request = new HttpRequestMessage(method, Url(path)) { Content = body };
        Authorize(request, leaseToken);
        var (status, text) = await ApiExchange.SendAsync(http, request, timeout ?? TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        NotifyServerReached();
        if (status is < 200 or > 299)
            throw ApiExchange.Refusal(method, path, status, text);
        if (typeInfo is null)
            return default!;
        try
        {
            return JsonSerializer.Deserialize(text, typeInfo) ?? throw new JsonException("empty body");
        }
        catch (JsonException ex)
        {
            throw new ApiCallException($"{method} {path}: the server's answer is not what a cast2md server sends ({ex.Message})", status, null, ex);
        }
    }

    private Task SendAsync(
        HttpMethod method,
        string path,
        string? leaseToken,
        HttpContent? body,
        JsonTypeInfo<object>? none,
        TimeSpan? timeout,
        CancellationToken cancellationToken
    ) => SendAsync<object>(method, path, leaseToken, body, none, timeout, cancellationToken);
}
