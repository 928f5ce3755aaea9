using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Cast2md.Api;
using Cast2md.Json;
using Cast2md.Net;

namespace Cast2md.NodeAgent;

public sealed partial class NodeClient
{
    /// <summary>The client every node call uses: no redirects (the key must not follow one to another host), 30 s per request.</summary>
    public static HttpClient CreateHttpClient() => Cast2mdHttp.CreateClient(new HttpClientOptions { MaxRedirects = 0, RequestTimeout = Timeout.InfiniteTimeSpan, AddressPolicy = null });

    private async Task<T> SendAsync<T>(HttpMethod method, string path, string? leaseToken, HttpContent? body, JsonTypeInfo<T>? typeInfo,
        TimeSpan? timeout, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, Url(path)) { Content = body };
        Authorize(request, leaseToken);
        var (status, text) = await ExchangeAsync(http, request, timeout ?? TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        NotifyServerReached();
        if (status is < 200 or > 299)
            throw Failure(method, path, status, text);
        if (typeInfo is null)
            return default!;
        try
        {
            return JsonSerializer.Deserialize(text, typeInfo) ?? throw new JsonException("empty body");
        }
        catch (JsonException ex)
        {
            throw new NodeApiException($"{method} {path}: the server's answer is not what a cast2md server sends ({ex.Message})", status, null, ex);
        }
    }

    private Task SendAsync(HttpMethod method, string path, string? leaseToken, HttpContent? body, JsonTypeInfo<object>? none, TimeSpan? timeout,
        CancellationToken cancellationToken) =>
        SendAsync<object>(method, path, leaseToken, body, none, timeout, cancellationToken);

    /// <summary>Sends <paramref name="request"/> and reads the body; no answer at all is a <see cref="NodeApiException"/> without status.</summary>
    public static async Task<(int Status, string Body)> ExchangeAsync(HttpClient http, HttpRequestMessage request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await http.SendAsync(request, deadline.Token).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false);
            return ((int)response.StatusCode, text);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException ex)
        {
            throw new NodeApiException($"{request.RequestUri} did not answer within {timeout.TotalSeconds:0} s", null, null, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new NodeApiException($"cannot reach {request.RequestUri!.GetLeftPart(UriPartial.Authority)}: {ex.InnerException?.Message ?? ex.Message}", null, null, ex);
        }
    }

    public static NodeApiException Failure(HttpMethod method, string path, int status, string body)
    {
        string? detail = null;
        try
        {
            detail = JsonSerializer.Deserialize(body, Cast2mdJsonContext.Default.ErrorResponse)?.Detail;
        }
        catch (JsonException)
        {
        }
        detail ??= body.Length is > 0 and < 300 ? body.Trim() : null;
        return new NodeApiException($"{method} /{path.Split('?')[0]} answered {status}{(detail is null ? "" : ": " + detail)}", status, detail);
    }
}
