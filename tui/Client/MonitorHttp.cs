using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Cast2md.Api;

namespace Cast2md.Tui.Client;

/// <summary>
/// JSON over HTTP for the monitors, always awaited off the UI loop. Every failure becomes an <see cref="ApiCallException"/>
/// whose message is fit for the screen (the server's <c>detail</c>, or why the socket failed).
/// </summary>
public sealed class MonitorHttp : IDisposable
{
    private readonly HttpClient _http;
    private readonly TimeSpan _timeout;

    public MonitorHttp(Uri baseUri, string? token, TimeSpan? timeout = null, HttpMessageHandler? handler = null)
    {
        BaseUri = baseUri;
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        // The exchange keeps its own deadline (and says which address did not answer in time).
        _http.Timeout = Timeout.InfiniteTimeSpan;
        _timeout = timeout ?? TimeSpan.FromSeconds(10);
        if (!string.IsNullOrWhiteSpace(token))
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Trim());
    }

    public Uri BaseUri { get; }

    public Task<T> GetAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, path, null, type, cancellationToken);

    public async Task<string> GetTextAsync(string path, CancellationToken cancellationToken = default)
    {
        var (_, body) = await ExchangeAsync(HttpMethod.Get, path, null, cancellationToken);
        return body;
    }

    public Task<T> PostAsync<T>(string path, string? jsonBody, JsonTypeInfo<T> type, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, path, jsonBody, type, cancellationToken);

    public async Task<string> SendTextAsync(HttpMethod method, string path, string? jsonBody = null, CancellationToken cancellationToken = default)
    {
        var (_, body) = await ExchangeAsync(method, path, jsonBody, cancellationToken);
        return MessageOf(body) ?? "done";
    }

    public async Task<T> SendAsync<T>(
        HttpMethod method,
        string path,
        string? jsonBody,
        JsonTypeInfo<T> type,
        CancellationToken cancellationToken = default
    )
    {
        var (status, body) = await ExchangeAsync(method, path, jsonBody, cancellationToken);
        try
        {
            return JsonSerializer.Deserialize(body, type) ?? throw new ApiCallException($"{path}: empty answer", status);
        }
        catch (JsonException ex)
        {
            throw new ApiCallException($"{path}: unexpected answer ({ex.Message})", status, null, ex);
        }
    }

    private async Task<(int Status, string Body)> ExchangeAsync(HttpMethod method, string path, string? jsonBody, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(BaseUri, path.TrimStart('/')));
        if (jsonBody is not null)
            request.Content = new StringContent(jsonBody, Encoding.UTF8, "application/json");
        var (status, body) = await ApiExchange.SendAsync(_http, request, _timeout, cancellationToken);
        // On screen the other side's own sentence is enough; the method and path only when it sent none.
        if (status >= 400 && ApiExchange.DetailOf(body) is var detail)
            throw new ApiCallException(detail ?? $"{method} {path} answered {status}", status, detail);
        return (status, body);
    }

    private static string? MessageOf(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return
                doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("message", out var m)
                && m.ValueKind == JsonValueKind.String
                ? m.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A JSON object with one property, written without reflection.</summary>
    public static string Object(string name, Action<Utf8JsonWriter> writeValue)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WritePropertyName(name);
            writeValue(writer);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public void Dispose() => _http.Dispose();
}
